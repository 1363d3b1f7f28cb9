package dev.emergence.reparam.bench;

import com.google.common.base.Preconditions;
import dev.emergence.reparam.Problem;
import dev.emergence.reparam.ProblemSettings;
import dev.emergence.reparam.method.Decay;
import dev.emergence.reparam.method.Execution;
import dev.emergence.reparam.method.GnnStage;
import dev.emergence.reparam.method.MethodKind;
import dev.emergence.reparam.method.OptimizerKind;
import dev.emergence.reparam.method.Rates;
import dev.emergence.reparam.method.RunSettings;
import dev.emergence.reparam.method.Stopping;
import dev.emergence.reparam.problem.Problems;
import java.util.List;

/**
 * What a benchmark runs: {@code problem} (a {@link Problems} name, with its settings) on each of
 * {@code graphs}, the first-order methods with each of {@code optimizers}, and the {@code
 * baselines} once per graph; every run under the same stopping rule, GNN stage, second-stage decay
 * and execution.
 *
 * @param seeds seed runs per cell at the rate the search chose
 * @param lrFactors the learning-rate grid, as factors of each method's default; the first is tried
 *     first and wins ties
 * @param stopping of every run: its iteration cap decides (deterministic), its wall-clock budget is
 *     a safety limit (a run it stops is marked {@code budget_s})
 * @param stage2Optimizer the second stage's optimizer, or null: each cell's own
 * @param allSeeds every cell runs all its seeds, and no cell is skipped, whether or not the
 *     search's best run reached the target: for a problem where arriving depends on the start
 *     (Kuramoto from the full circle, where the fraction that arrives is the measurement)
 */
public record BenchConfig(
    String problem,
    ProblemSettings problemSettings,
    List<String> graphs,
    List<OptimizerKind> optimizers,
    List<MethodKind> baselines,
    int seeds,
    List<Double> lrFactors,
    long seed,
    Stopping stopping,
    GnnStage gnn,
    OptimizerKind stage2Optimizer,
    Decay stage2,
    Execution execution,
    boolean allSeeds) {
  /** The default graphs: 2D grids 32^2..512^2, 3D grids 8^3..32^3, rgg with 10^4 and 10^5 nodes. */
  public static final List<String> GRAPHS =
      List.of(
          "grid2d:32x32",
          "grid2d:64x64",
          "grid2d:128x128",
          "grid2d:256x256",
          "grid2d:512x512",
          "grid3d:8x8x8",
          "grid3d:16x16x16",
          "grid3d:32x32x32",
          "rgg:10000:0.03",
          "rgg:100000:0.006");

  public static final List<OptimizerKind> OPTIMIZERS = List.of(OptimizerKind.values());
  public static final List<MethodKind> BASELINES = List.of(MethodKind.LBFGS, MethodKind.CG);
  public static final List<Double> LR_FACTORS = List.of(1.0, 0.316, 3.16);
  public static final int SEEDS = 2;

  /** The default iteration cap and wall-clock safety limit of every run. */
  public static final Stopping STOPPING = new Stopping(Stopping.DEFAULTS.tolerance(), 200_000, 600);

  public BenchConfig {
    Problems.checkKnown(problem);
    Preconditions.checkArgument(
        problemSettings.getClass() == Problems.defaults(problem).getClass(),
        "%s settings given for problem %s",
        problemSettings.getClass().getSimpleName(),
        problem);
    Preconditions.checkArgument(!graphs.isEmpty(), "no graphs to benchmark");
    Preconditions.checkArgument(!optimizers.isEmpty(), "no optimizers to benchmark");
    for (MethodKind b : baselines) {
      Preconditions.checkArgument(!b.firstOrder(), "--baselines takes lbfgs and cg, got %s", b);
    }
    Preconditions.checkArgument(seeds >= 1, "--seeds must be at least 1, got %s", seeds);
    Preconditions.checkArgument(!lrFactors.isEmpty(), "the learning-rate grid is empty");
    for (double f : lrFactors) {
      Preconditions.checkArgument(
          f > 0 && Double.isFinite(f), "--lr-factors must be positive and finite, got %s", f);
    }
    Preconditions.checkNotNull(stopping, "no stopping rule given");
    Preconditions.checkNotNull(gnn, "no GNN stage given");
    RunSettings.checkStages(gnn, stage2, execution);
    graphs.forEach(
        problemSettings::checkSpec); // every graph (or point cloud) checked before any work
  }

  /**
   * The defaults of problem {@code problem}: the default graphs, every optimizer, L-BFGS and CG, 2
   * seeds, the grid 1, 0.316, 3.16, seed 0, {@link #STOPPING}, the default GNN stage, each cell's
   * own optimizer for the second stage with its default decay, the default execution, more seeds
   * only where the search's best run reached the target.
   */
  public static BenchConfig defaults(String problem) {
    return new BenchConfig(
        problem,
        Problems.defaults(problem),
        GRAPHS,
        OPTIMIZERS,
        BASELINES,
        SEEDS,
        LR_FACTORS,
        0,
        STOPPING,
        GnnStage.defaults(0),
        null,
        RunSettings.STAGE2_DECAY,
        Execution.DEFAULTS,
        false);
  }

  /** The second stage's optimizer of a cell with {@code kind}. */
  OptimizerKind stage2Kind(OptimizerKind kind) {
    return stage2Optimizer == null ? kind : stage2Optimizer;
  }

  /**
   * The settings of a run of a cell with {@code kind} on {@code problem} (its rates the defaults; a
   * search sets its own).
   */
  RunSettings settings(OptimizerKind kind, Problem problem, long runSeed) {
    Rates rates = Rates.defaults(kind, problem);
    return new RunSettings(
            runSeed,
            new Rates(kind, rates.direct(), rates.gnn(), stage2Kind(kind), rates.stage2()),
            stopping,
            gnn,
            stage2,
            execution)
        .withSeed(runSeed);
  }
}
