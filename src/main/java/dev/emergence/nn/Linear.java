package dev.emergence.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;

/**
 * {@code x W + b} per model: x {@code [K, n, in]}, W {@code [K, in, out]} (normal std), b {@code [K,
 * out]} (zeros); one batched product over the models.
 */
public final class Linear {
  private final Weights weights;
  private final Variable<TFloat32> weight;
  private final Variable<TFloat32> bias;

  public Linear(Weights weights, String name, int in, int out, double std) {
    this.weights = weights;
    this.weight = weights.normal(name + ".w", std, in, out);
    this.bias = weights.constant(name + ".b", 0f, out);
  }

  /** {@code [K, n, in] -> [K, n, out]}. */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> b = tf.expandDims(weights.read(tf, bias), tf.constant(1)); // [K, 1, out]
    return tf.math.add(product(tf, x, weights.read(tf, weight), false, false), b);
  }

  /** Output columns {@code from .. from+count-1} only: {@code [K, n, in] -> [K, n, count]}. */
  Operand<TFloat32> columns(Ops tf, Operand<TFloat32> x, int from, int count) {
    int k = weights.models();
    Operand<TFloat32> w = weights.read(tf, weight); // [K, in, out]
    int in = (int) weight.shape().get(weight.shape().numDimensions() - 2);
    Operand<TFloat32> wPart = tf.slice(w, tf.constant(new int[] {0, 0, from}), tf.constant(new int[] {k, in, count}));
    Operand<TFloat32> bPart = // [K, 1, count]
        tf.reshape(tf.slice(weights.read(tf, bias), tf.constant(new int[] {0, from}), tf.constant(new int[] {k, count})), tf.constant(new int[] {k, 1, count}));
    return tf.math.add(product(tf, x, wPart, false, false), bPart);
  }

  /** A product batched over the leading axes (BatchMatMulV3; Einsum and V2 measured no faster). */
  static Operand<TFloat32> product(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b, boolean adjX, boolean adjY) {
    return tf.train.batchMatMul(a, b, TFloat32.class, BatchMatMul.adjX(adjX), BatchMatMul.adjY(adjY));
  }
}
