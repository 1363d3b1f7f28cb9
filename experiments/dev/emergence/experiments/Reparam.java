package dev.emergence.experiments;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.google.common.base.Preconditions;
import dev.emergence.reparam.Problem;
import dev.emergence.reparam.ProblemSettings;
import dev.emergence.reparam.graph.GraphSpec;
import dev.emergence.reparam.method.Execution;
import dev.emergence.reparam.method.MethodKind;
import dev.emergence.reparam.method.MethodResult;
import dev.emergence.reparam.method.MethodRun;
import dev.emergence.reparam.method.RunSettings;
import dev.emergence.reparam.method.Stopping;
import dev.emergence.reparam.method.TwoStageMethod;
import dev.emergence.reparam.run.ReparamRun;
import dev.emergence.report.Json;
import dev.emergence.report.RunDirectory;
import dev.emergence.report.StopSignal;
import dev.emergence.report.tensorboard.ReparamLog;
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
    modelTransformer = ProblemOption.Groups.class,
    description =
        "Optimize a graph problem directly and through a sparse-Hessian GNN; report time to a relative energy gap.")
public final class Reparam implements Callable<Integer> {
  /** The methods a run uses when none are named. */
  static final List<MethodKind> METHODS = List.of(MethodKind.DIRECT, MethodKind.GNN);

  @Mixin CommonOptions common;
  @Mixin ProblemOption problem;
  @Mixin RateOptions rates;
  @Mixin StoppingOptions stopping = new StoppingOptions(Stopping.DEFAULTS);
  @Mixin GnnOptions gnn;
  @Mixin Stage2Options stage2;
  @Mixin ExecutionOptions execution;
  @Spec CommandSpec spec;

  @Option(
      names = "--graph",
      required = true,
      description =
          "grid2d:WxH, grid3d:WxHxD, rgg:N:R, rrg:N:D (random D-regular), er:N:C (Erdos-Renyi, mean degree C, its largest component) or file:EDGES.csv[,NODES.csv] (heat: file:EDGES.csv,BOUNDARY.csv), each optionally ending in @disorder=K; homology also points:N:K (N points around K clusters) or csv:FILE (lines x,y).")
  String graph;

  @Option(
      names = "--disorder",
      description =
          "Multiply every edge weight by a factor log-uniform over 10^-K..10^K, seeded by --seed (the graph's seed): the same as appending @disorder=K to --graph (default: none).")
  double disorder;

  @Option(
      names = "--methods",
      split = ",",
      description =
          "Any of direct (first-order on x), gnn (GNN stage, then first-order on x), lbfgs (L-BFGS on x), cg (conjugate gradients, quadratic problems) (default: ${DEFAULT-VALUE}).")
  List<MethodKind> methods = METHODS;

  @Option(
      names = "--seeds",
      description =
          "Seeds per method, from --seed up; result.json reports the median (default: ${DEFAULT-VALUE}).")
  int seeds = 1;

  @Option(
      names = "--profile",
      description =
          "Also print where the time of a GNN-stage step goes, from this many traced steps (0: no profile).")
  int profile = 0;

  @Option(
      names = "--dump-solution",
      description =
          "Also write the GNN method's final answer (else the direct one's) here, as the problem's solution file (heat: CSV node,value,fixed; kuramoto: node,phase,wrapped; homology: point,x,y); the run directory always holds each method's as solution-METHOD.csv.")
  Path dumpSolution;

  @Option(
      names = "--dump-graph",
      description =
          "Also write the graph's edges here as CSV i,j,w, with their weights (disordered ones too); the run directory always holds them as graph.csv.")
  Path dumpGraph;

  /** The run's settings from the options, its rates on {@code instance}; every number checked. */
  RunSettings settings(Problem instance) {
    Execution exec = execution.execution(common);
    boolean handoverGiven = spec.commandLine().getParseResult().hasMatchedOption("--handover");
    return new RunSettings(
        common.seed,
        rates.rates(instance, stage2.optimizer),
        stopping.stopping(),
        gnn.stage(common.seed, exec.fastStep(), handoverGiven),
        stage2.decay(),
        exec);
  }

  @Override
  public Integer call() {
    // Every check before any work: names, numbers, the graph spec, the problem on it, --out.
    Preconditions.checkArgument(seeds >= 1, "--seeds must be at least 1, got %s", seeds);
    Preconditions.checkArgument(profile >= 0, "--profile must be >= 0, got %s", profile);
    Preconditions.checkArgument(
        methods.stream().distinct().count() == methods.size(),
        "--methods names a method twice: %s",
        methods);
    // the settings' numbers before the problem is built (a large graph takes seconds); settings()
    // checks them all again
    stopping.stopping();
    stage2.decay().check("stage2");
    gnn.stage(common.seed, true, true);
    ProblemSettings problemSettings = problem.settings();
    String graph = GraphSpec.withDisorder(this.graph, disorder);
    problemSettings.checkSpec(graph);
    // the problem too (a graph or cloud that cannot be used: too few points, k >= N, disconnected,
    // NaN)
    Problem instance = problemSettings.create(graph, common.seed);
    RunSettings settings = settings(instance);
    StopSignal.install();
    RunDirectory run = common.runDirectory("reparam", false, false);

    try {
      run.start(
          new Config(
              problem.problem,
              graph,
              methods,
              settings,
              problemSettings,
              seeds,
              String.join(" ", spec.commandLine().getParseResult().originalArgs())));
      ReparamRun.Outcome outcome = ReparamRun.run(graph, instance, methods, settings, seeds, run);
      ReparamRun.Result result = outcome.result();
      ReparamRun.write(
          outcome, run); // result.json before the plot and the dumps, which may still fail
      outcome
          .runs()
          .forEach(
              (method, runs) -> {
                for (int k = 0; k < runs.size(); k++) {
                  try (ReparamLog tb =
                      common.reparamLog(run.root(), method.toString(), common.seed + k)) {
                    ReparamRun.replay(tb, runs.get(k), outcome.target(), 1000);
                  }
                }
              });
      if (dumpGraph != null) {
        GraphSpec.writeEdges(instance.graph(), dumpGraph);
      }
      if (dumpSolution != null) {
        MethodRun r =
            outcome.median(
                outcome.runs().containsKey(MethodKind.GNN) ? MethodKind.GNN : MethodKind.DIRECT);
        instance.writeSolution(r.solution(), dumpSolution);
      }
      run.finish(result);
      PrintWriter stdout = spec.commandLine().getOut();
      if (profile > 0) {
        TwoStageMethod.profileGnnStep(instance, settings, 20, profile).print(stdout, 20, 12);
      }
      result.methods().forEach((name, r) -> print(stdout, name, r, result));
      stdout.printf(
          Locale.ROOT,
          "target energy %.6g (%s%s)%n",
          result.targetEnergy(),
          result.targetSource(),
          result.targetProbeS() == null
              ? ""
              : String.format(Locale.ROOT, ", found in %.2f s", result.targetProbeS()));
      stdout.printf(Locale.ROOT, "exact solve %.2f s%n", result.exactSolveS());
      // one optimizer per run: its GNN run against it on x is both views (the paper's, the same
      // optimizer; the user's, the best against the best), L-BFGS and CG beside
      stdout.println(
          "speedup "
              + Json.line(result.speedup())
              + (result.gnnVsLbfgs().wall() == null
                  ? ""
                  : " gnn_vs_lbfgs " + Json.line(result.gnnVsLbfgs()))
              + (result.gnnVsCg().wall() == null ? "" : " gnn_vs_cg " + Json.line(result.gnnVsCg()))
              + "  -> "
              + run.resolve(RunDirectory.RESULT));
      stdout.println(
          "wrote "
              + run.resolve(ReparamRun.GRAPH)
              + " and "
              + String.join(
                  ", ",
                  methods.stream()
                      .map(m -> run.resolve(ReparamRun.solutionFile(m)).toString())
                      .toList()));
      stdout.flush();
    } catch (RuntimeException | Error e) {
      run.ended(e);
      throw e;
    }
    return 0;
  }

  private static void print(
      PrintWriter stdout, String name, MethodResult r, ReparamRun.Result result) {
    stdout.printf(
        Locale.ROOT,
        "%-6s %-8s lr=%-8g reached=%-5s iterations_to_tol=%s wall_s_to_tol=%s final_gap=%.3g iterations=%d wall_s=%.2f setup_s=%.3f "
            + "cpu_ms_per_iteration=%s max_abs_error=%s%s%s%n",
        name,
        r.optimizer(),
        r.lr(),
        r.reached(),
        r.iterationsToTol(),
        r.wallSToTol() == null ? "null" : String.format(Locale.ROOT, "%.3f", r.wallSToTol()),
        r.finalGap(),
        r.iterations(),
        r.wallS(),
        r.setupS(),
        r.iterations() == 0
            ? "null"
            : String.format(Locale.ROOT, "%.3f", 1e3 * r.cpuS() / r.iterations()),
        r.maxAbsError() == null ? "null" : String.format(Locale.ROOT, "%.2e", r.maxAbsError()),
        r.finalGoal() == null
            ? ""
            : String.format(Locale.ROOT, " %s=%.4f", result.goal().name(), r.finalGoal()),
        r.measures().isEmpty() ? "" : " " + Json.line(r.measures()));
  }

  /** What config.json records. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Config(
      String problem,
      String graph,
      List<MethodKind> methods,
      RunSettings settings,
      ProblemSettings problemSettings,
      int seeds,
      String args) {}

  public static void main(String[] args) {
    Emergence.Cli.run(new Reparam(), args);
  }
}
