package dev.emergence.reparam.method;

import com.google.common.base.Preconditions;
import dev.emergence.reparam.Problem;

/**
 * The first-order optimizers and their learning rates: {@code optimizer} steps the direct method
 * (at {@code direct}) and the GNN stage (at {@code gnn}); a fresh {@code stage2Optimizer} steps the
 * second stage (at {@code stage2}).
 */
public record Rates(
    OptimizerKind optimizer,
    double direct,
    double gnn,
    OptimizerKind stage2Optimizer,
    double stage2) {
  public Rates {
    Preconditions.checkNotNull(optimizer, "no optimizer given");
    Preconditions.checkNotNull(stage2Optimizer, "no stage-2 optimizer given");
    checkRate("--direct-lr", direct);
    checkRate("--gnn-lr", gnn);
    checkRate("--stage2-lr", stage2);
  }

  /** Checks a learning rate given as {@code option}: positive and finite. */
  public static void checkRate(String option, double rate) {
    Preconditions.checkArgument(
        rate > 0 && Double.isFinite(rate), "%s must be positive, got %s", option, rate);
  }

  /** The defaults of {@code optimizer} on a problem, the second stage with the same optimizer. */
  public static Rates defaults(OptimizerKind optimizer, Problem problem) {
    return of(optimizer, optimizer, problem, null, null, null);
  }

  /**
   * The rates given (null: the default): the direct rate the optimizer's default on the problem,
   * the GNN rate its GNN default; the second stage's default is the direct rate when both
   * optimizers are gradient descent (GD continues at the direct step), else the stage-2 optimizer's
   * own.
   */
  public static Rates of(
      OptimizerKind optimizer,
      OptimizerKind stage2Optimizer,
      Problem problem,
      Double direct,
      Double gnn,
      Double stage2) {
    double d = direct != null ? direct : optimizer.defaultDirectLr(problem);
    double g = gnn != null ? gnn : optimizer.defaultGnnLr();
    double s =
        stage2 != null
            ? stage2
            : stage2Optimizer == optimizer
                ? optimizer.defaultStage2Lr(d)
                : stage2Optimizer.defaultStage2Lr(stage2Optimizer.defaultDirectLr(problem));
    return new Rates(optimizer, d, g, stage2Optimizer, s);
  }

  /** The same optimizers at other rates. */
  public Rates withRates(double directLr, double gnnLr, double stage2Lr) {
    return new Rates(optimizer, directLr, gnnLr, stage2Optimizer, stage2Lr);
  }
}
