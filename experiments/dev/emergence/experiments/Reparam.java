package dev.emergence.experiments;

import com.google.common.base.Preconditions;
import dev.emergence.reparam.GraphSpec;
import dev.emergence.reparam.HeatProblem;
import dev.emergence.reparam.HeatRun;
import dev.emergence.reparam.MethodResult;
import dev.emergence.reparam.OptimizerKind;
import dev.emergence.reparam.Propagation;
import dev.emergence.reparam.RunSettings;
import dev.emergence.report.Json;
import dev.emergence.report.RunDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Heat diffusion on a sparse graph, optimized directly and through a sparse-Hessian GNN (neural
 * reparametrization, then direct optimization once the GNN stage plateaus).
 */
@Command(
    name = "reparam",
    mixinStandardHelpOptions = true,
    description = "Optimize heat diffusion on a graph directly and through a sparse-Hessian GNN; report time to a relative energy gap.")
public final class Reparam implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin GnnOptions gnn;

  @Option(names = "--problem", description = "Problem: heat (default: ${DEFAULT-VALUE}).")
  String problem = "heat";

  @Option(names = "--graph", required = true, description = "grid2d:WxH, grid3d:WxHxD, rgg:N:R or file:EDGES.csv,BOUNDARY.csv.")
  String graph;

  @Option(names = "--methods", split = ",", description = "direct, gnn or both (default: direct,gnn).")
  List<String> methods = List.of("direct", "gnn");

  @Option(names = "--optimizer", description = "sgd (plain gradient descent), adam, rmsprop or adagrad (default: ${DEFAULT-VALUE}).")
  String optimizer = "adam";

  @Option(names = "--lr", description = "Learning rate for every stage of both methods (default: the optimizer's best per method).")
  Double lr;

  @Option(names = "--direct-lr", description = "Learning rate of the direct method.")
  Double directLr;

  @Option(names = "--gnn-lr", description = "Learning rate of the GNN stage.")
  Double gnnLr;

  @Option(names = "--stage2-lr", description = "Learning rate of the direct stage after the GNN (default: the direct method's for sgd, 1e-4 for adam and rmsprop).")
  Double stage2Lr;

  @Option(names = "--tolerance", description = "Target relative energy gap (E - E*)/E* (default: ${DEFAULT-VALUE}).")
  double tolerance = 1e-6;

  @Option(names = "--budget-s", description = "Wall-clock budget per method and seed, seconds (default: ${DEFAULT-VALUE}).")
  double budgetS = 120;

  @Option(names = "--max-iterations", description = "Iteration cap per method and seed (default: ${DEFAULT-VALUE}).")
  long maxIterations = 10_000_000;

  @Option(names = "--seeds", description = "Seeds per method, from --seed up; result.json reports the median (default: ${DEFAULT-VALUE}).")
  int seeds = 1;

  @Option(names = "--propagation", description = "gcn, hessian or adjacency (default: ${DEFAULT-VALUE}).")
  String propagation = "gcn";

  @Option(names = "--gnn-float64", description = "Run the GNN in float64 (default: float32; the energy is always float64).")
  boolean gnnFloat64;

  @Option(names = "--dump-solution", description = "CSV node,value,fixed of the GNN method's final answer.")
  Path dumpSolution;

  @Option(names = "--dump-graph", description = "CSV i,j,w of the graph's edges.")
  Path dumpGraph;

  @Override
  public Integer call() {
    Preconditions.checkArgument(problem.equals("heat"), "unknown problem '%s'; expected heat (Kuramoto and persistent homology come in part 2)", problem);
    OptimizerKind kind = OptimizerKind.parse(optimizer);
    GraphSpec.Loaded loaded = GraphSpec.load(graph, common.seed);
    HeatProblem heat = HeatProblem.of(loaded);
    double direct = pick(directLr, lr, kind.defaultDirectLr(heat));
    RunSettings settings =
        new RunSettings(
            kind,
            direct,
            pick(gnnLr, lr, kind.defaultGnnLr()),
            pick(stage2Lr, lr, kind == OptimizerKind.SGD ? direct : kind.defaultStage2Lr()),
            tolerance,
            budgetS,
            maxIterations,
            common.seed,
            common.sessionConfig(),
            gnn.config(common.seed),
            enumOf(Propagation.class, propagation, "propagation"),
            gnnFloat64,
            gnn.plateauWindow,
            gnn.plateauThreshold);
    Path out = common.outOr("reparam");
    RunDirectory dir = RunDirectory.create(out);
    dir.writeConfig(new Config(graph, methods, settings, seeds));
    if (dumpGraph != null) {
      HeatRun.dumpGraph(loaded.graph(), dumpGraph);
    }
    HeatRun.Result result = HeatRun.run(loaded, methods, settings, seeds, dir);
    if (dumpSolution != null) {
      MethodResult r = result.methods().getOrDefault("gnn", result.methods().get("direct"));
      HeatRun.dumpSolution(heat, r.solution(), dumpSolution);
    }
    result.methods().forEach((name, r) -> System.out.printf(Locale.ROOT,
        "%-6s %-8s lr=%-8g reached=%-5s iterations_to_tol=%s wall_s_to_tol=%s final_gap=%.3g iterations=%d wall_s=%.2f%n",
        name, r.optimizer(), r.lr(), r.reached(), r.iterationsToTol(), r.wallSToTol() == null ? "null" : String.format(Locale.ROOT, "%.3f", r.wallSToTol()),
        r.finalGap(), r.iterations(), r.wallS()));
    System.out.println("speedup " + Json.line(result.speedup()) + "  -> " + out.resolve(RunDirectory.RESULT));
    return 0;
  }

  /** What config.json records. */
  record Config(String graph, List<String> methods, RunSettings settings, int seeds) {}

  private static double pick(Double specific, Double shared, double fallback) {
    return specific != null ? specific : shared != null ? shared : fallback;
  }

  static <E extends Enum<E>> E enumOf(Class<E> type, String text, String what) {
    try {
      return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown " + what + " '" + text + "'; expected one of "
          + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new Reparam(), args);
  }
}
