package dev.emergence.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * Normalizes the last axis to mean 0 and variance 1 (eps 1e-5), then scales by g and shifts by b,
 * per model.
 */
public final class LayerNorm {
  private static final float EPS = 1e-5f;
  private final Weights weights;
  private final Variable<TFloat32> gain;
  private final Variable<TFloat32> bias;

  public LayerNorm(Weights weights, String name, int dim) {
    this.weights = weights;
    this.gain = weights.constant(name + ".g", 1f, dim);
    this.bias = weights.constant(name + ".b", 0f, dim);
  }

  /** {@code [K, n, d] -> [K, n, d]}. */
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> centered =
        tf.math.sub(x, tf.math.mean(x, tf.constant(-1), Mean.keepDims(true)));
    Operand<TFloat32> variance =
        tf.math.mean(tf.math.square(centered), tf.constant(-1), Mean.keepDims(true));
    Operand<TFloat32> normed =
        tf.math.mul(centered, tf.math.rsqrt(tf.math.add(variance, tf.constant(EPS))));
    Operand<TFloat32> g = tf.expandDims(weights.read(tf, gain), tf.constant(1)); // [K, 1, d]
    Operand<TFloat32> b = tf.expandDims(weights.read(tf, bias), tf.constant(1));
    return tf.math.add(tf.math.mul(normed, g), b);
  }
}
