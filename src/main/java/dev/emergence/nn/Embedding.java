package dev.emergence.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** A lookup table {@code [rows, dim]} per model: row i is the vector of id i. */
public final class Embedding {
  private final Weights weights;
  private final Variable<TFloat32> table;
  private final int rows;
  private final int dim;

  public Embedding(Weights weights, String name, int rows, int dim) {
    this.weights = weights;
    this.table = weights.normal(name, 0.02, rows, dim);
    this.rows = rows;
    this.dim = dim;
  }

  public Variable<TFloat32> table() {
    return table;
  }

  /** The tables {@code [K, rows, dim]}. */
  public Operand<TFloat32> read(Ops tf) {
    return weights.read(tf, table);
  }

  /**
   * Member k's rows for ids {@code [K, B, T]}: {@code [K, B, T, dim]}, one gather from the K tables
   * laid end to end.
   */
  Operand<TFloat32> lookup(Pass pass, Operand<TInt32> ids) {
    Ops tf = pass.tf;
    int k = pass.models;
    int[][][] offsets = new int[k][1][1];
    for (int i = 0; i < k; i++) {
      offsets[i][0][0] = i * rows;
    }
    Operand<TInt32> flat =
        tf.reshape(tf.math.add(ids, tf.constant(offsets)), tf.constant(new int[] {-1})); // [K*B*T]
    Operand<TFloat32> all = tf.reshape(read(tf), tf.constant(new int[] {k * rows, dim}));
    return tf.reshape(tf.gather(all, flat, tf.constant(0)), pass.shapeKbt(dim));
  }

  /** The first T rows, {@code [K, 1, T, dim]} (the positions 0..T-1 of every row). */
  Operand<TFloat32> first(Pass pass) {
    Ops tf = pass.tf;
    Operand<TFloat32> head =
        tf.slice(
            read(tf), tf.constant(new int[] {0, 0, 0}), pass.shape(pass.models, pass.time, dim));
    return tf.reshape(head, pass.shape(pass.models, 1, pass.time, dim));
  }
}
