package dev.emergence.experiments;

import dev.emergence.reparam.Target;
import dev.emergence.reparam.bench.Benchmark;
import dev.emergence.reparam.graph.Graph;
import dev.emergence.reparam.method.OptimizerKind;
import dev.emergence.reparam.method.RunSettings;

import com.google.common.base.Preconditions;
import dev.emergence.report.Json;
import dev.emergence.report.RunDirectory;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
      description = "Graph specs (homology also points:N:K and csv:FILE) (default: 2D grids 32^2..512^2, 3D grids 8^3..32^3, rgg with 10^4 and 10^5 nodes).")
  List<String> graphs = List.of("grid2d:32x32", "grid2d:64x64", "grid2d:128x128", "grid2d:256x256", "grid2d:512x512",
      "grid3d:8x8x8", "grid3d:16x16x16", "grid3d:32x32x32", "rgg:10000:0.03", "rgg:100000:0.006");

  @Option(names = "--optimizers", split = ",", description = "Optimizers (default: sgd,adam,rmsprop,adagrad).")
  List<String> optimizers = List.of("sgd", "adam", "rmsprop", "adagrad");

  @Option(names = "--seeds", description = "Seeds per cell at the chosen learning rate (default: ${DEFAULT-VALUE}).")
  int seeds = 2;

  @Option(names = "--max-iterations", description = "Iteration budget per run: the budget that decides, the same on any machine (default: ${DEFAULT-VALUE}).")
  long maxIterations = 200_000;

  @Option(names = "--budget-s", description = "Wall-clock safety limit per run, seconds; a run it stops is marked budget_s (default: ${DEFAULT-VALUE}).")
  double budgetS = 600;

  @Option(names = "--lr-factors", split = ",",
      description = "Learning-rate grid, as factors of each method's default; the first is tried first and wins ties (default: 1,0.316,3.16).")
  double[] lrFactors = {1, 0.316, 3.16};

  @Option(names = "--tolerance", description = "Target relative energy gap (default: ${DEFAULT-VALUE}).")
  double tolerance = RunSettings.DEFAULT_TOLERANCE;

  @Option(names = "--resume", description = "Continue the run at --out: reuse the cells saved there with the same settings (a cell with other settings is refused).")
  boolean resume;

  @Option(names = "--stage2-optimizer", description = "Optimizer of the direct stage after the GNN (default: each cell's own optimizer).")
  String stage2Optimizer;

  @Option(names = "--stage2-patience", description = "The stage-2 rate halves after this many steps without a new lowest energy; 0: never (default: ${DEFAULT-VALUE}).")
  int stage2Patience = RunSettings.DEFAULT_STAGE2_PATIENCE;

  @Option(names = "--baselines", split = ",", description = "Methods run once per graph beside the first-order ones: lbfgs, cg, or none (default: lbfgs,cg).")
  List<String> baselines = List.of("lbfgs", "cg");

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    // Every check before any work: names, numbers, every graph of the list, --resume with --out, --out.
    Preconditions.checkArgument(!resume || common.out != null, "--resume needs --out: the run directory to continue");
    if (baselines.equals(List.of("none"))) {
      baselines = List.of();
    }
    Benchmark.Config config = new Benchmark.Config(
        problem.problem,
        graphs,
        optimizers.stream().map(OptimizerKind::parse).toList(),
        seeds,
        budgetS,
        maxIterations,
        lrFactors,
        tolerance,
        common.seed,
        common.threads,
        gnn.config(common.seed),
        gnn.plateauWindow,
        gnn.plateauThreshold,
        stage2Optimizer == null ? null : OptimizerKind.parse(stage2Optimizer),
        stage2Patience,
        baselines,
        problem.settings());
    common.sessionConfig();
    RunDirectory run = common.runDirectory("reparam-bench", true, resume);
    Map<String, Benchmark.Cell> saved = resume ? Benchmark.resumable(config, run.root()) : Map.of();
    PrintWriter stdout = spec.commandLine().getOut();
    try {
      Map<String, Object> recorded = new LinkedHashMap<>(Json.mapper().convertValue(config, Map.class));
      recorded.put("command", "reparam-bench");
      recorded.put("args", String.join(" ", spec.commandLine().getParseResult().originalArgs()));
      run.start(recorded);
      Benchmark.run(config, run, saved, common.tensorboard(), line -> {
        stdout.println(line);
        stdout.flush();
      });
    } catch (RuntimeException | Error e) {
      run.fail(Emergence.Cli.oneLine(e));
      throw e;
    }
    stdout.println("wrote " + run.resolve("results.csv") + ", " + run.resolve("speedup.csv") + ", " + run.resolve("speedup_vs_n.png"));
    stdout.flush();
    return 0;
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new ReparamBench(), args);
  }
}
