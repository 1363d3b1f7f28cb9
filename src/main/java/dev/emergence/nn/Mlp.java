package dev.emergence.nn;

import org.tensorflow.Operand;
import org.tensorflow.framework.activations.GELU;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Two projections with GELU between them: d -> ratio*d -> d. GELU is tensorflow-framework's exact
 * erf form, {@code 0.5 x (1 + erf(x / sqrt 2))} (PyTorch's default).
 */
public final class Mlp {
  private final Linear fc;
  private final Linear proj;

  public Mlp(Weights weights, String name, GptConfig config) {
    int d = config.dModel();
    this.fc = new Linear(weights, name + ".fc", d, config.mlpHidden(), 0.02);
    this.proj =
        new Linear(
            weights,
            name + ".proj",
            config.mlpHidden(),
            d,
            0.02 / Math.sqrt(2.0 * config.applications()));
  }

  /** Rows {@code [K, n, d] -> [K, n, d]}. */
  public Operand<TFloat32> call(Pass pass, Operand<TFloat32> x) {
    Ops tf = pass.tf;
    return pass.dropout(proj.call(tf, GELU.gelu(tf, fc.call(tf, x))));
  }
}
