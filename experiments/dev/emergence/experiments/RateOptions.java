package dev.emergence.experiments;

import dev.emergence.reparam.Problem;
import dev.emergence.reparam.method.OptimizerKind;
import dev.emergence.reparam.method.Rates;
import picocli.CommandLine.Option;

/**
 * The first-order optimizers of one reparam run and their rates ({@link Rates}); the defaults are
 * each optimizer's best.
 */
public final class RateOptions {
  @Option(
      names = "--optimizer",
      description =
          "${COMPLETION-CANDIDATES}; sgd is plain gradient descent, jacobi gradient descent scaled by the "
              + "inverse Hessian diagonal, nesterov Nesterov's momentum, both with rates from Lanczos estimates of the Hessian's spectrum (default: ${DEFAULT-VALUE}).")
  OptimizerKind optimizer = OptimizerKind.DEFAULT;

  @Option(
      names = "--lr",
      description =
          "Learning rate for every stage of both methods (default: the optimizer's best per method).")
  Double lr;

  @Option(names = "--direct-lr", description = "Learning rate of the direct method.")
  Double directLr;

  @Option(names = "--gnn-lr", description = "Learning rate of the GNN stage.")
  Double gnnLr;

  @Option(
      names = "--stage2-lr",
      description =
          "Learning rate of the direct stage after the GNN (default: the stage-2 optimizer's: for sgd, jacobi and nesterov their rate on x, else its fixed stage-2 rate).")
  Double stage2Lr;

  /**
   * The rates on {@code problem}: each given one, else --lr, else the default; the second stage
   * with {@code stage2} (null: --optimizer).
   */
  Rates rates(Problem problem, OptimizerKind stage2) {
    if (lr != null) {
      Rates.checkRate("--lr", lr);
    }
    return Rates.of(
        optimizer,
        stage2 == null ? optimizer : stage2,
        problem,
        pick(directLr),
        pick(gnnLr),
        pick(stage2Lr));
  }

  private Double pick(Double specific) {
    return specific != null ? specific : lr;
  }
}
