package dev.emergence.nn;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;

/**
 * {@code x W + b} per model: x {@code [K, n, in]}, W {@code [K, in, out]} (normal std), b {@code
 * [K, out]} (zeros); one batched product over the models. A model alone (K = 1) takes a plain
 * product and BiasAdd, whose kernels and gradients cost fewer ops than the batched ones at these
 * sizes.
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
    if (weights.models() == 1) {
      return alone(tf, x, weights.read(tf, weight), weights.read(tf, bias));
    }
    Operand<TFloat32> b = tf.expandDims(weights.read(tf, bias), tf.constant(1)); // [K, 1, out]
    return tf.math.add(product(tf, x, weights.read(tf, weight), false, false), b);
  }

  /** Output columns {@code from .. from+count-1} only: {@code [K, n, in] -> [K, n, count]}. */
  Operand<TFloat32> columns(Ops tf, Operand<TFloat32> x, int from, int count) {
    int k = weights.models();
    Operand<TFloat32> w = weights.read(tf, weight); // [K, in, out]
    int in = (int) weight.shape().get(weight.shape().numDimensions() - 2);
    Operand<TFloat32> wPart =
        tf.slice(w, tf.constant(new int[] {0, 0, from}), tf.constant(new int[] {k, in, count}));
    if (k == 1) {
      return alone(
          tf,
          x,
          wPart,
          tf.slice(
              weights.read(tf, bias),
              tf.constant(new int[] {0, from}),
              tf.constant(new int[] {1, count})));
    }
    Operand<TFloat32> bPart = // [K, 1, count]
        tf.reshape(
            tf.slice(
                weights.read(tf, bias),
                tf.constant(new int[] {0, from}),
                tf.constant(new int[] {k, count})),
            tf.constant(new int[] {k, 1, count}));
    return tf.math.add(product(tf, x, wPart, false, false), bPart);
  }

  /** {@code [1, n, in] x [1, in, out] + [1, out] -> [1, n, out]} as one model's plain product. */
  private static Operand<TFloat32> alone(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> w, Operand<TFloat32> b) {
    Operand<TFloat32> rows = tf.squeeze(x, Squeeze.axis(List.of(0L))); // [n, in]
    Operand<TFloat32> product =
        tf.nn.biasAdd(
            tf.linalg.matMul(rows, tf.squeeze(w, Squeeze.axis(List.of(0L)))),
            tf.squeeze(b, Squeeze.axis(List.of(0L)))); // [n, out]
    return tf.expandDims(product, tf.constant(0)); // [1, n, out]
  }

  /** A product batched over the leading axes (BatchMatMulV3; Einsum and V2 measured no faster). */
  static Operand<TFloat32> product(
      Ops tf, Operand<TFloat32> a, Operand<TFloat32> b, boolean adjX, boolean adjY) {
    return tf.train.batchMatMul(
        a, b, TFloat32.class, BatchMatMul.adjX(adjX), BatchMatMul.adjY(adjY));
  }
}
