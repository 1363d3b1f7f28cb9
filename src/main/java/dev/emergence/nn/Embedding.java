package dev.emergence.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/** A lookup table {@code [rows, dim]}: row i is the vector of id i. */
public final class Embedding {
  private final Variable<TFloat32> table;

  public Embedding(Weights weights, String name, int rows, int dim) {
    this.table = weights.normal(name, 0.02, rows, dim);
  }

  public Variable<TFloat32> table() {
    return table;
  }

  /** Rows of the table for {@code ids} of any shape: result shape {@code ids.shape + [dim]}. */
  public Operand<TFloat32> call(Ops tf, Operand<? extends TNumber> ids) {
    return tf.gather(Weights.read(tf, table), ids, tf.constant(0));
  }
}
