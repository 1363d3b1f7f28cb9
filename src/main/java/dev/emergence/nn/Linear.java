package dev.emergence.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** {@code x W + b} on rows: x {@code [n, in]}, W {@code [in, out]} (normal std), b {@code [out]} (zeros). */
public final class Linear {
  private final Variable<TFloat32> weight;
  private final Variable<TFloat32> bias;

  public Linear(Weights weights, String name, int in, int out, double std) {
    this.weight = weights.normal(name + ".w", std, in, out);
    this.bias = weights.constant(name + ".b", 0f, out);
  }

  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x) {
    return tf.nn.biasAdd(tf.linalg.matMul(x, Weights.read(tf, weight)), Weights.read(tf, bias));
  }
}
