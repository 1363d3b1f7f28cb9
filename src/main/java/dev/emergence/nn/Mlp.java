package dev.emergence.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Two projections with GELU between them: d -> ratio*d -> d. GELU is the exact erf form (as PyTorch's). */
public final class Mlp {
  private final Linear fc;
  private final Linear proj;

  public Mlp(Weights weights, String name, GptConfig config) {
    int d = config.dModel();
    this.fc = new Linear(weights, name + ".fc", d, config.mlpHidden(), 0.02);
    this.proj =
        new Linear(weights, name + ".proj", config.mlpHidden(), d, 0.02 / Math.sqrt(2.0 * config.applications()));
  }

  public Operand<TFloat32> call(Pass pass, Operand<TFloat32> x) {
    Ops tf = pass.tf;
    return pass.dropout(proj.call(tf, gelu(tf, fc.call(tf, x))));
  }

  /** 0.5 x (1 + erf(x / sqrt 2)). */
  static Operand<TFloat32> gelu(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> cdf =
        tf.math.add(
            tf.constant(0.5f), tf.math.mul(tf.constant(0.5f), tf.math.erf(tf.math.mul(x, tf.constant((float) (1 / Math.sqrt(2)))))));
    return tf.math.mul(x, cdf);
  }
}
