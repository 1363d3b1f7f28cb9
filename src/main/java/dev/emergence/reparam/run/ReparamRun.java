package dev.emergence.reparam.run;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.google.common.base.Preconditions;
import dev.emergence.reparam.Optimum;
import dev.emergence.reparam.Problem;
import dev.emergence.reparam.Target;
import dev.emergence.reparam.Trace;
import dev.emergence.reparam.graph.GraphSpec;
import dev.emergence.reparam.method.GnnStage;
import dev.emergence.reparam.method.MethodKind;
import dev.emergence.reparam.method.MethodResult;
import dev.emergence.reparam.method.MethodRun;
import dev.emergence.reparam.method.RunSettings;
import dev.emergence.reparam.method.Stopping;
import dev.emergence.reparam.problem.HeatProblem;
import dev.emergence.report.RunDirectory;
import dev.emergence.report.tensorboard.ReparamLog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One {@code reparam} run: the chosen methods on one problem over a few seeds, the exact optimum
 * where known, the speedup, {@code result.json}, {@code metrics.jsonl} and the plots ({@link
 * RunPlots}).
 */
public final class ReparamRun {
  private ReparamRun() {}

  /**
   * The speedup of the GNN method over another, in wall time, iterations and CPU time to the target
   * (a run ends where it reaches it, so its CPU seconds are those to the target; {@code cpu} null
   * where either run has none recorded); {@code lowerBound} when the other never got there.
   */
  public record Speedup(Double wall, Double iterations, Double cpu, boolean lowerBound) {
    public static Speedup of(MethodResult other, MethodResult gnn) {
      if (other == null || gnn == null || !gnn.reached()) {
        return new Speedup(null, null, null, false);
      }
      boolean lower = !other.reached();
      double otherWall = lower ? other.wallS() : other.wallSToTol();
      double otherIterations = lower ? other.iterations() : other.iterationsToTol();
      return new Speedup(
          otherWall / gnn.wallSToTol(),
          otherIterations / Math.max(1, gnn.iterationsToTol()),
          other.cpuS() == null || gnn.cpuS() == null || gnn.cpuS() <= 0
              ? null
              : other.cpuS() / gnn.cpuS(),
          lower);
    }
  }

  /** The quantity that decides arrival instead of the energy, and its threshold. */
  public record Goal(String name, double threshold) {}

  /**
   * What result.json holds. {@code methods} are the median seeds; {@code perSeed} every run; {@code
   * freeNodes} the number of variables; {@code exactEnergy} null where the optimum is not known;
   * {@code exactSolveS} the seconds the exact solve took (outside every method's timing); {@code
   * targetEnergy}, {@code targetSource} and {@code targetProbeS} the target ({@link
   * Targets.Found}); {@code goal} the quantity that decides arrival instead, if any.
   */
  public record Result(
      String problem,
      String graph,
      int nodes,
      int freeNodes,
      int edges,
      Double exactEnergy,
      double exactSolveS,
      double tolerance,
      Map<String, MethodResult> methods,
      Speedup speedup,
      Speedup gnnVsLbfgs,
      Speedup gnnVsCg,
      Map<String, List<MethodResult>> perSeed,
      double targetEnergy,
      String targetSource,
      Double targetProbeS,
      Goal goal) {}

  /**
   * A run as it ended: its result, and what stays with the run: the problem, the target, every
   * method's runs by seed (answers and traces) and the first seed.
   */
  public record Outcome(
      Result result,
      Problem problem,
      Target target,
      Map<MethodKind, List<MethodRun>> runs,
      long seed) {
    /** The run of a method that result.json reports: its median seed. */
    public MethodRun median(MethodKind method) {
      return ReparamRun.median(runs.get(method), MethodRun::result);
    }
  }

  /**
   * One line of metrics.jsonl: the gap, the energy it was recorded for, and where the problem
   * watches a quantity and it was measured at this iteration, that quantity under its key
   * (Kuramoto: {@code r}).
   */
  record Metrics(
      MethodKind method,
      long seed,
      long iteration,
      double wallS,
      double gap,
      double energy,
      @JsonAnyGetter Map<String, Double> watched) {}

  /**
   * Runs {@code methods} on {@code problem} (on the graph named {@code graph}) for seeds
   * seed..seed+seeds-1, appending each run's trace to {@code out}'s metrics (none when {@code out}
   * is null). The caller writes the result ({@link #write}).
   */
  public static Outcome run(
      String graph,
      Problem problem,
      List<MethodKind> methods,
      RunSettings base,
      int seeds,
      RunDirectory out) {
    Preconditions.checkArgument(seeds >= 1, "--seeds must be at least 1, got %s", seeds);
    Preconditions.checkArgument(
        !methods.isEmpty() && methods.stream().distinct().count() == methods.size(),
        "--methods must name each method once, got %s",
        methods);
    warmUp(base);
    Targets.Found target = Targets.find(problem, base);
    Map<MethodKind, List<MethodRun>> runs = new LinkedHashMap<>();
    for (MethodKind method : methods) {
      List<MethodRun> bySeed = new ArrayList<>();
      for (int k = 0; k < seeds; k++) {
        RunSettings s = base.withSeed(base.seed() + k);
        MethodRun r = method.run(problem, target.target(), s);
        bySeed.add(r);
        if (out != null) {
          logMetrics(out, r, s.seed(), target.target(), problem.watched());
        }
      }
      runs.put(method, bySeed);
    }
    Map<String, MethodResult> median = new LinkedHashMap<>();
    Map<String, List<MethodResult>> perSeed = new LinkedHashMap<>();
    runs.forEach(
        (m, list) -> {
          perSeed.put(m.toString(), list.stream().map(MethodRun::result).toList());
          median.put(m.toString(), median(list, MethodRun::result).result());
        });
    MethodResult gnn = median.get(MethodKind.GNN.toString());
    Result result =
        new Result(
            problem.name(),
            graph,
            problem.graph().nodes(),
            problem.size(),
            problem.graph().edges(),
            problem.optimum().map(Optimum::energy).orElse(null),
            target.exactSolveS(),
            base.stopping().tolerance(),
            median,
            Speedup.of(median.get(MethodKind.DIRECT.toString()), gnn),
            Speedup.of(median.get(MethodKind.LBFGS.toString()), gnn),
            Speedup.of(median.get(MethodKind.CG.toString()), gnn),
            perSeed,
            target.target().energy(),
            target.source(),
            target.probeS(),
            problem.goal().map(g -> new Goal(g.name(), g.threshold())).orElse(null));
    return new Outcome(result, problem, target.target(), runs, base.seed());
  }

  /**
   * Loads TensorFlow's native code and JIT-compiles the step loop on a tiny heat problem (whatever
   * the run's problem: only the start-up matters), so that no method pays the process's one-time
   * start-up (about 1.5 s) inside its timed run.
   */
  public static void warmUp(RunSettings base) {
    HeatProblem tiny = HeatProblem.of(GraphSpec.load("grid2d:4x3", 0));
    // seed 0 for the initial point; the GNN keeps the run's seed
    RunSettings s =
        new RunSettings(
            0,
            base.rates().withRates(1e-3, 1e-3, 1e-3),
            new Stopping(1e-12, 20, 10),
            base.gnn().withPlateau(new GnnStage.Plateau(5, 0)),
            base.stage2(),
            base.execution());
    Target target = tiny.target(1e-12).orElseThrow();
    MethodKind.DIRECT.run(tiny, target, s);
    MethodKind.GNN.run(tiny, target, s);
  }

  /** The run directory's copy of the graph with its weights, CSV {@code i,j,w}. */
  public static final String GRAPH = "graph.csv";

  /**
   * The run directory's file of a method's answer (its median seed), the problem's solution CSV.
   */
  public static String solutionFile(MethodKind method) {
    return "solution-" + method + ".csv";
  }

  /**
   * Writes {@code result.json}, then the plots ({@link RunPlots#write}), the weighted graph ({@link
   * #GRAPH}) and each method's answer ({@link #solutionFile}): the result is on disk before
   * anything that may still fail.
   */
  public static void write(Outcome outcome, RunDirectory out) {
    out.writeResult(outcome.result());
    RunPlots.write(outcome, out.root());
    GraphSpec.writeEdges(outcome.problem().graph(), out.resolve(GRAPH));
    for (MethodKind method : outcome.runs().keySet()) {
      outcome
          .problem()
          .writeSolution(outcome.median(method).solution(), out.resolve(solutionFile(method)));
    }
  }

  /**
   * The run in the middle when sorted by iterations to tolerance (runs that never got there last;
   * iterations, not wall time, so that a loaded machine cannot change which run is reported); of an
   * even count the slower middle one, so two seeds report the slower.
   */
  public static <T> T median(List<T> runs, Function<T, MethodResult> result) {
    List<T> sorted = new ArrayList<>(runs);
    sorted.sort(
        Comparator.comparingDouble(
            r ->
                result.apply(r).reached()
                    ? result.apply(r).iterationsToTol()
                    : Double.POSITIVE_INFINITY));
    return sorted.get(sorted.size() / 2);
  }

  /**
   * Replays a method's run into its TensorBoard log: about {@code points} entries of its trace,
   * then {@code final_gap}, {@code iterations} and (when reached) {@code wall_s_to_tol} at its last
   * iteration.
   */
  public static void replay(ReparamLog log, MethodRun run, Target target, int points) {
    Trace t = run.trace();
    MethodResult r = run.result();
    if (!log.enabled() || t.size() == 0) {
      return;
    }
    boolean twoStage = r.method() == MethodKind.GNN;
    log.replay(
        t,
        target::energyOf,
        it -> ReparamLog.Stage.of(twoStage, r.stageSwitchIteration(), it),
        points);
    long last = t.iteration(t.size() - 1);
    log.scalar(last, "final_gap", r.finalGap());
    log.scalar(last, "iterations", (double) r.iterations());
    if (r.wallSToTol() != null) {
      log.scalar(last, "wall_s_to_tol", r.wallSToTol());
    }
    log.flush();
  }

  /** The trace's log-spaced sample and every entry with a watched value, one metrics line each. */
  private static void logMetrics(
      RunDirectory out, MethodRun r, long seed, Target target, Optional<Problem.Watched> watched) {
    Trace t = r.trace();
    for (int i : t.sampleWithWatched(200)) {
      Map<String, Double> values =
          watched.isPresent() && t.hasWatched(i)
              ? Map.of(watched.get().key(), t.watched(i))
              : Map.of();
      out.appendMetrics(
          new Metrics(
              r.result().method(),
              seed,
              t.iteration(i),
              t.seconds(i),
              t.gap(i),
              target.energyOf(t.gap(i)),
              values));
    }
  }
}
