package dev.emergence.experiments;

import dev.emergence.reparam.Benchmark;
import dev.emergence.reparam.OptimizerKind;
import dev.emergence.reparam.RunSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * One graph problem (heat diffusion by default) over graph sizes and optimizers: both methods,
 * learning rates by the same search, a few seeds; results.csv, speedup.csv and speedup_vs_n.png.
 */
@Command(
    name = "reparam-bench",
    mixinStandardHelpOptions = true,
    description = "Sweep a graph problem's graphs and optimizers; wall-time speedup of the GNN method to a 1e-6 gap.")
public final class ReparamBench implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin ProblemOption problem;
  @Mixin GnnOptions gnn;

  @Option(names = "--graphs", split = ",",
      description = "Graph specs (default: 2D grids 32^2..128^2, 3D grids 8^3 and 16^3, an rgg).")
  List<String> graphs = List.of("grid2d:32x32", "grid2d:64x64", "grid2d:128x128", "grid3d:8x8x8", "grid3d:16x16x16", "rgg:8000:0.03");

  @Option(names = "--optimizers", split = ",", description = "Optimizers (default: sgd,adam,rmsprop).")
  List<String> optimizers = List.of("sgd", "adam", "rmsprop");

  @Option(names = "--seeds", description = "Seeds per cell at the chosen learning rate (default: ${DEFAULT-VALUE}).")
  int seeds = 2;

  @Option(names = "--budget-s", description = "Wall-clock budget per run, seconds (default: ${DEFAULT-VALUE}).")
  double budgetS = 20;

  @Option(names = "--lr-factors", split = ",",
      description = "Learning-rate grid, as factors of each method's default; the first is tried first (default: 1,0.316,3.16).")
  double[] lrFactors = {1, 0.316, 3.16};

  @Option(names = "--tolerance", description = "Target relative energy gap (default: ${DEFAULT-VALUE}).")
  double tolerance = RunSettings.DEFAULT_TOLERANCE;

  @Option(names = "--resume", description = "Skip cells whose result file exists.")
  boolean resume;

  @Override
  public Integer call() {
    Benchmark.Config config = new Benchmark.Config(
        problem.problem,
        graphs,
        optimizers.stream().map(OptimizerKind::parse).toList(),
        seeds,
        budgetS,
        lrFactors,
        tolerance,
        common.seed,
        common.threads,
        gnn.config(common.seed),
        gnn.plateauWindow,
        gnn.plateauThreshold);
    Path out = common.outOr("reparam-bench");
    Benchmark.run(config, out, resume, System.out::println);
    System.out.println("wrote " + out.resolve("results.csv") + ", " + out.resolve("speedup.csv") + ", " + out.resolve("speedup_vs_n.png"));
    return 0;
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new ReparamBench(), args);
  }
}
