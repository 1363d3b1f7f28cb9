package dev.emergence.reparam;

import dev.emergence.train.Adagrad;
import dev.emergence.train.Adam;
import dev.emergence.train.Optimizer;
import dev.emergence.train.RmsProp;
import dev.emergence.train.Sgd;
import java.util.Arrays;
import java.util.Locale;

/**
 * The optimizers the study compares, with PyTorch's default hyperparameters, and the default learning
 * rates per method: the best ones {@code reparam-bench} found on 2D grids (see docs/reparam.md).
 */
public enum OptimizerKind {
  SGD(0.25, 0.01),
  ADAM(0.01, 0.01),
  RMSPROP(0.001, 0.001),
  ADAGRAD(0.1, 0.1);

  private final double directLr;
  private final double gnnLr;

  OptimizerKind(double directLr, double gnnLr) {
    this.directLr = directLr;
    this.gnnLr = gnnLr;
  }

  /** A fresh optimizer of this kind (plain gradient descent for SGD). */
  public Optimizer create() {
    return switch (this) {
      case SGD -> Sgd.plain();
      case ADAM -> Adam.defaults();
      case RMSPROP -> RmsProp.defaults();
      case ADAGRAD -> Adagrad.defaults();
    };
  }

  public double defaultDirectLr() {
    return directLr;
  }

  public double defaultGnnLr() {
    return gnnLr;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses sgd (or gd), adam, rmsprop, adagrad. */
  public static OptimizerKind parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("gd")) {
      return SGD;
    }
    for (OptimizerKind kind : values()) {
      if (kind.label().equals(t)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown optimizer '" + text + "'; expected one of " + Arrays.toString(values()).toLowerCase(Locale.ROOT));
  }
}
