package dev.emergence.optim;

/**
 * Adam (Kingma and Ba) in PyTorch's form: {@link AdamW} without weight decay, so the two share one
 * ordered implementation.
 */
public final class Adam {
  private Adam() {}

  public static AdamW create(double beta1, double beta2, double epsilon) {
    return new AdamW(AdamWConfig.adam().withBetas(beta1, beta2).withEpsilon(epsilon));
  }

  /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8. */
  public static AdamW defaults() {
    return new AdamW(AdamWConfig.adam());
  }
}
