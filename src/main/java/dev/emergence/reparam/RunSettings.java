package dev.emergence.reparam;

import com.google.common.base.Preconditions;
import dev.emergence.nn.GnnReparametrization;
import dev.emergence.session.SessionConfig;

/**
 * How the methods run.
 *
 * @param directLr learning rate of the direct method
 * @param gnnLr learning rate of the GNN stage
 * @param stage2Lr learning rate of the direct stage that follows the GNN stage (a fresh optimizer)
 * @param tolerance target relative energy gap (E - E*) / E*
 * @param budgetS wall-clock budget per method, seconds
 * @param maxIterations iteration cap per method
 * @param plateauWindow the GNN stage ends when the energy fell by less than {@code plateauThreshold}
 *     (relative) over the last {@code plateauWindow} steps
 * @param gnnFloat64 run the GNN in float64 (else float32; the energy is float64 either way)
 */
public record RunSettings(
    OptimizerKind optimizer,
    double directLr,
    double gnnLr,
    double stage2Lr,
    double tolerance,
    double budgetS,
    long maxIterations,
    long seed,
    SessionConfig session,
    GnnReparametrization.Config gnn,
    Propagation propagation,
    boolean gnnFloat64,
    int plateauWindow,
    double plateauThreshold) {
  public RunSettings {
    Preconditions.checkArgument(directLr > 0 && gnnLr > 0 && stage2Lr > 0, "learning rates must be positive");
    Preconditions.checkArgument(tolerance > 0, "tolerance must be positive, got %s", tolerance);
    Preconditions.checkArgument(budgetS > 0, "budget must be positive, got %s s", budgetS);
    Preconditions.checkArgument(maxIterations > 0, "iteration cap must be positive, got %s", maxIterations);
    Preconditions.checkArgument(plateauWindow >= 1, "plateau window must be at least 1, got %s", plateauWindow);
    Preconditions.checkArgument(plateauThreshold >= 0, "plateau threshold must be >= 0, got %s", plateauThreshold);
  }

  /** The defaults for one optimizer on one problem: its best learning rates, tolerance 1e-6. */
  public static RunSettings defaults(OptimizerKind optimizer, HeatProblem problem, long seed) {
    double direct = optimizer.defaultDirectLr(problem);
    return new RunSettings(
        optimizer,
        direct,
        optimizer.defaultGnnLr(),
        optimizer == OptimizerKind.SGD ? direct : optimizer.defaultStage2Lr(),
        1e-6,
        120,
        10_000_000,
        seed,
        SessionConfig.cpu(1),
        GnnReparametrization.Config.defaults(seed),
        Propagation.GCN,
        false,
        50,
        1e-4);
  }

  public RunSettings withLearningRates(double direct, double gnn, double stage2) {
    return new RunSettings(optimizer, direct, gnn, stage2, tolerance, budgetS, maxIterations, seed, session, gnn(), propagation, gnnFloat64, plateauWindow, plateauThreshold);
  }
}
