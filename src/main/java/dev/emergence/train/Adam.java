package dev.emergence.train;

/**
 * Adam (Kingma and Ba) in PyTorch's form: AdamW without weight decay, on the fused {@code ApplyAdam}
 * kernel ({@link FusedAdamW}), so the two share one ordered implementation and a large variable such
 * as a GNN's node embeddings costs one op per step instead of about fifteen.
 */
public final class Adam {
  private Adam() {}

  public static FusedAdamW create(double beta1, double beta2, double epsilon) {
    return new FusedAdamW(new AdamW.Config(beta1, beta2, epsilon, 0, variable -> false));
  }

  /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8. */
  public static FusedAdamW defaults() {
    return create(0.9, 0.999, 1e-8);
  }
}
