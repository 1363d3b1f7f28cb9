package dev.emergence.experiments;

import dev.emergence.reparam.Problem;
import dev.emergence.reparam.Target;
import dev.emergence.reparam.graph.GraphSpec;
import dev.emergence.reparam.method.MethodResult;
import dev.emergence.reparam.method.OptimizerKind;
import dev.emergence.reparam.method.Propagation;
import dev.emergence.reparam.method.Reparametrization;
import dev.emergence.reparam.method.RunSettings;
import dev.emergence.reparam.problem.ProblemSettings;
import dev.emergence.reparam.problem.Problems;
import dev.emergence.reparam.run.ReparamRun;

import dev.emergence.report.Json;
import dev.emergence.report.RunDirectory;
import dev.emergence.report.tensorboard.ReparamLog;
import com.google.common.base.Preconditions;
import dev.emergence.session.SessionConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A graph problem (heat diffusion by default), optimized directly and through a sparse-Hessian GNN
 * (neural reparametrization, then direct optimization once the GNN stage plateaus).
 */
@Command(
    name = "reparam",
    mixinStandardHelpOptions = true,
    description = "Optimize a graph problem directly and through a sparse-Hessian GNN; report time to a relative energy gap.")
public final class Reparam implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin ProblemOption problem;
  @Mixin GnnOptions gnn;
  @Spec CommandSpec spec;

  @Option(names = "--graph", required = true,
      description = "grid2d:WxH, grid3d:WxHxD, rgg:N:R or file:EDGES.csv[,NODES.csv] (heat: file:EDGES.csv,BOUNDARY.csv); homology also points:N:K (N points around K clusters) or csv:FILE (lines x,y).")
  String graph;

  @Option(names = "--methods", split = ",",
      description = "Any of direct (first-order on x), gnn (GNN stage, then first-order on x), lbfgs (L-BFGS on x), cg (conjugate gradients, quadratic problems) (default: direct,gnn).")
  List<String> methods = List.of("direct", "gnn");

  @Option(names = "--optimizer", description = "sgd (plain gradient descent), adam, rmsprop or adagrad (default: ${DEFAULT-VALUE}).")
  String optimizer = "adam";

  @Option(names = "--lr", description = "Learning rate for every stage of both methods (default: the optimizer's best per method).")
  Double lr;

  @Option(names = "--direct-lr", description = "Learning rate of the direct method.")
  Double directLr;

  @Option(names = "--gnn-lr", description = "Learning rate of the GNN stage.")
  Double gnnLr;

  @Option(names = "--stage2-lr", description = "Learning rate of the direct stage after the GNN (default: the stage-2 optimizer's: 2 / curvature bound for sgd, else its fixed stage-2 rate).")
  Double stage2Lr;

  @Option(names = "--stage2-optimizer", description = "Optimizer of the direct stage after the GNN: sgd, adam, rmsprop or adagrad (default: --optimizer's).")
  String stage2Optimizer;

  @Option(names = "--stage2-half-life", description = "The stage-2 learning rate halves every this many iterations; 0 keeps it constant (default: ${DEFAULT-VALUE}).")
  double stage2HalfLife = 0;

  @Option(names = "--stage2-patience", description = "The stage-2 learning rate halves whenever this many steps in a row found no new lowest energy; 0: never (default: ${DEFAULT-VALUE}).")
  int stage2Patience = RunSettings.DEFAULT_STAGE2_PATIENCE;

  @Option(names = "--gnn-patience", description = "The GNN stage's learning rate halves whenever this many steps in a row found no new lowest energy; 0: never (default: ${DEFAULT-VALUE}).")
  int gnnPatience = RunSettings.DEFAULT_GNN_PATIENCE;

  @Option(names = "--gnn-half-life", description = "The GNN stage's learning rate halves every this many iterations; 0 keeps it constant (default: ${DEFAULT-VALUE}).")
  double gnnHalfLife = RunSettings.DEFAULT_GNN_HALF_LIFE;

  @Option(names = "--handover", description = "What the GNN stage hands to the direct stage: last (its final x) or best (the x of the lowest energy it saw) (default: best; last with --reference-step).")
  String handover;

  @Option(names = "--graph-optimizer", negatable = true, description = "Let TensorFlow's graph optimizer (grappler) rewrite each method's graph before its first step (default: ${DEFAULT-VALUE}).")
  boolean graphOptimizer = RunSettings.DEFAULT_GRAPH_OPTIMIZER;

  @Option(names = "--gnn-start", description = "Where the GNN's output starts: best_constant (the problem's best x = t 1) or zero (default: ${DEFAULT-VALUE}).")
  String gnnStart = "best_constant";

  @Option(names = "--hessian", description = "The propagation's Hessian: analytic (the problem's own) or estimated (from gradient differences on a distance-2 colouring, inside the GNN's timed set-up) (default: ${DEFAULT-VALUE}).")
  String hessian = "analytic";

  @Option(names = "--reference-step", description = "Build the step as first written (op-by-op optimizer updates, the energy differentiated through the graph, a concatenated read-out) instead of the cheaper one.")
  boolean referenceStep;

  @Option(names = "--profile", description = "Also print where the time of a GNN-stage step goes, from this many traced steps (0: no profile).")
  int profile = 0;

  @Option(names = "--tolerance", description = "Target relative energy gap (E - E*)/E* (default: ${DEFAULT-VALUE}).")
  double tolerance = RunSettings.DEFAULT_TOLERANCE;

  @Option(names = "--budget-s", description = "Wall-clock budget per method and seed, seconds (default: ${DEFAULT-VALUE}).")
  double budgetS = RunSettings.DEFAULT_BUDGET_S;

  @Option(names = "--max-iterations", description = "Iteration cap per method and seed (default: ${DEFAULT-VALUE}).")
  long maxIterations = RunSettings.DEFAULT_MAX_ITERATIONS;

  @Option(names = "--seeds", description = "Seeds per method, from --seed up; result.json reports the median (default: ${DEFAULT-VALUE}).")
  int seeds = 1;

  @Option(names = "--propagation", description = "gcn, hessian or adjacency (default: ${DEFAULT-VALUE}).")
  String propagation = "gcn";

  @Option(names = "--gnn-float64", description = "Run the GNN in float64 (default: float32; the energy is always float64).")
  boolean gnnFloat64;

  @Option(names = "--dump-solution", description = "The GNN method's final answer (else the direct one's) as the problem's solution file (heat: CSV node,value,fixed; kuramoto: node,phase,wrapped; homology: point,x,y).")
  Path dumpSolution;

  @Option(names = "--dump-graph", description = "CSV i,j,w of the graph's edges.")
  Path dumpGraph;

  @Override
  public Integer call() {
    // Every check before any work: names, numbers, the graph spec, --out.
    OptimizerKind kind = OptimizerKind.parse(optimizer);
    Problems.checkKnown(problem.problem);
    ReparamRun.checkMethods(methods);
    Preconditions.checkArgument(seeds >= 1, "--seeds must be at least 1, got %s", seeds);
    Preconditions.checkArgument(tolerance > 0 && tolerance < 1, "--tolerance must be in (0, 1), got %s", tolerance);
    Preconditions.checkArgument(budgetS > 0, "--budget-s must be positive, got %s", budgetS);
    Preconditions.checkArgument(maxIterations >= 1, "--max-iterations must be at least 1, got %s", maxIterations);
    checkRate("--lr", lr);
    checkRate("--direct-lr", directLr);
    checkRate("--gnn-lr", gnnLr);
    checkRate("--stage2-lr", stage2Lr);
    Preconditions.checkArgument(stage2HalfLife >= 0 && Double.isFinite(stage2HalfLife), "--stage2-half-life must be >= 0, got %s", stage2HalfLife);
    Preconditions.checkArgument(profile >= 0, "--profile must be >= 0, got %s", profile);
    Preconditions.checkArgument(stage2Patience >= 0, "--stage2-patience must be >= 0, got %s", stage2Patience);
    Preconditions.checkArgument(gnnPatience >= 0, "--gnn-patience must be >= 0, got %s", gnnPatience);
    Preconditions.checkArgument(gnnHalfLife >= 0 && Double.isFinite(gnnHalfLife), "--gnn-half-life must be >= 0, got %s", gnnHalfLife);
    String handoverRule = handover != null ? handover : referenceStep ? "last" : RunSettings.DEFAULT_HANDOVER;
    Preconditions.checkArgument(handoverRule.equals("last") || handoverRule.equals("best"), "unknown --handover '%s'; expected last or best", handoverRule);
    Preconditions.checkArgument(!referenceStep || handoverRule.equals("last"), "--handover best needs the fast step; drop --reference-step or use --handover last");
    OptimizerKind stage2Kind = stage2Optimizer == null ? kind : OptimizerKind.parse(stage2Optimizer);
    Preconditions.checkArgument(gnnStart.equals("zero") || gnnStart.equals("best_constant"),
        "unknown --gnn-start '%s'; expected best_constant or zero", gnnStart);
    Propagation propagationKind = enumOf(Propagation.class, propagation, "propagation");
    var gnnConfig = gnn.config(common.seed);
    SessionConfig session = common.sessionConfig();
    Preconditions.checkArgument(hessian.equals("analytic") || hessian.equals("estimated"), "unknown --hessian '%s'; expected analytic or estimated", hessian);
    ProblemSettings problemSettings = problem.settings();
    Problems.checkSpec(problem.problem, graph);
    // the problem too (a graph or cloud that cannot be used: too few points, k >= N, disconnected, NaN)
    Problem instance = Problems.create(problem.problem, graph, common.seed, problemSettings);
    RunDirectory run = common.runDirectory("reparam", false, false);

    try {
      RunSettings defaults = RunSettings.defaults(kind, instance, common.seed);
      double direct = pick(directLr, lr, defaults.directLr());
      RunSettings settings = defaults.toBuilder()
          .directLr(direct)
          .gnnLr(pick(gnnLr, lr, defaults.gnnLr()))
          .stage2Lr(pick(stage2Lr, lr, stage2Kind == kind ? kind.defaultStage2Lr(direct) : stage2Kind.defaultStage2Lr(stage2Kind.defaultDirectLr(instance))))
          .stage2Optimizer(stage2Kind)
          .stage2HalfLife(stage2HalfLife)
          .stage2Patience(stage2Patience)
          .gnnPatience(gnnPatience)
          .gnnHalfLife(gnnHalfLife)
          .handover(handoverRule)
          .graphOptimizer(graphOptimizer)
          .gnnStart(gnnStart)
          .fastStep(!referenceStep)
          .tolerance(tolerance)
          .budgetS(budgetS)
          .maxIterations(maxIterations)
          .session(session)
          .gnn(gnnConfig)
          .propagation(propagationKind)
          .gnnFloat64(gnnFloat64)
          .hessian(hessian)
          .plateau(gnn.plateauWindow, gnn.plateauThreshold)
          .build();
      run.start(new Config(instance.name(), graph, methods, settings, problemSettings, seeds,
          String.join(" ", spec.commandLine().getParseResult().originalArgs())));
      ReparamRun.Result result = ReparamRun.run(graph, instance, methods, settings, seeds, run);
      ReparamRun.write(result, run); // result.json before the plot and the dumps, which may still fail
      result.perSeed().forEach((method, runs) -> {
        for (int k = 0; k < runs.size(); k++) {
          try (ReparamLog tb = common.reparamLog(run.root(), method, common.seed + k)) {
            ReparamRun.replay(tb, runs.get(k), result.target(), 1000);
          }
        }
      });
      if (dumpGraph != null) {
        GraphSpec.writeEdges(instance.graph(), dumpGraph);
      }
      if (dumpSolution != null) {
        MethodResult r = result.methods().getOrDefault("gnn", result.methods().get("direct"));
        instance.writeSolution(r.solution(), dumpSolution);
      }
      run.finish(result);
      PrintWriter stdout = spec.commandLine().getOut();
      if (profile > 0) {
        Reparametrization.profileGnnStep(instance, settings, 20, profile).print(stdout, 20, 12);
      }
      result.methods().forEach((name, r) -> stdout.printf(Locale.ROOT,
          "%-6s %-8s lr=%-8g reached=%-5s iterations_to_tol=%s wall_s_to_tol=%s final_gap=%.3g iterations=%d wall_s=%.2f setup_s=%.3f max_abs_error=%s%s%n",
          name, r.optimizer(), r.lr(), r.reached(), r.iterationsToTol(), r.wallSToTol() == null ? "null" : String.format(Locale.ROOT, "%.3f", r.wallSToTol()),
          r.finalGap(), r.iterations(), r.wallS(), r.setupS(), r.maxAbsError() == null ? "null" : String.format(Locale.ROOT, "%.2e", r.maxAbsError()),
          r.finalGoal() == null ? "" : String.format(Locale.ROOT, " %s=%.4f", result.goal().get("name"), r.finalGoal())));
      stdout.printf(Locale.ROOT, "target energy %.6g (%s%s)%n", result.targetEnergy(), result.targetSource(),
          result.targetProbeS() == null ? "" : String.format(Locale.ROOT, ", found in %.2f s", result.targetProbeS()));
      stdout.printf(Locale.ROOT, "exact solve %.2f s%n", result.exactSolveS());
      stdout.println("speedup " + Json.line(result.speedup()) + "  -> " + run.resolve(RunDirectory.RESULT));
      stdout.flush();
    } catch (RuntimeException | Error e) {
      run.fail(Emergence.Cli.oneLine(e));
      throw e;
    }
    return 0;
  }

  private static void checkRate(String option, Double rate) {
    Preconditions.checkArgument(rate == null || (rate > 0 && Double.isFinite(rate)), "%s must be positive, got %s", option, rate);
  }

  /** What config.json records. */
  record Config(String problem, String graph, List<String> methods, RunSettings settings, ProblemSettings problemSettings, int seeds, String args) {}

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
