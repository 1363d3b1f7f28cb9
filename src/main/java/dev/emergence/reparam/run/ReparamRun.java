package dev.emergence.reparam.run;

import dev.emergence.reparam.Optimum;
import dev.emergence.reparam.Problem;
import dev.emergence.reparam.Target;
import dev.emergence.reparam.Trace;
import dev.emergence.reparam.graph.GraphSpec;
import dev.emergence.reparam.method.MethodResult;
import dev.emergence.reparam.method.Reparametrization;
import dev.emergence.reparam.method.RunSettings;
import dev.emergence.reparam.problem.HeatProblem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.google.common.base.Preconditions;
import dev.emergence.report.RunDirectory;
import dev.emergence.report.tensorboard.ReparamLog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code reparam} run: the chosen methods on one problem over a few seeds, the exact optimum
 * where known, the speedup, {@code result.json}, {@code metrics.jsonl} and the plots ({@link RunPlots}).
 */
public final class ReparamRun {
  /** The methods {@link #run} knows. */
  public static final List<String> METHODS = List.of("direct", "gnn", "lbfgs", "cg");

  private ReparamRun() {}

  /** The speedup of the GNN method over the direct one; {@code lowerBound} when direct never got there. */
  public record Speedup(Double wall, Double iterations, @JsonProperty("lower_bound") boolean lowerBound) {
    public static Speedup of(MethodResult direct, MethodResult gnn) {
      if (direct == null || gnn == null || !gnn.reached()) {
        return new Speedup(null, null, false);
      }
      boolean lower = !direct.reached();
      double directWall = lower ? direct.wallS() : direct.wallSToTol();
      double directIterations = lower ? direct.iterations() : direct.iterationsToTol();
      return new Speedup(
          directWall / gnn.wallSToTol(), directIterations / Math.max(1, gnn.iterationsToTol()), lower);
    }
  }

  /**
   * What result.json holds. {@code methods} are the median seeds; {@code perSeed} every run; {@code
   * freeNodes} the number of variables; {@code exactEnergy} null where the optimum is not known; {@code
   * exactSolveS} the seconds the exact solve took (outside every method's timing); {@code targetEnergy}
   * the energy aimed at (E*, or the value to reach), {@code targetSource} where it came from ({@code
   * optimum}, {@code given}, or {@code direct_best}: the direct method's lowest energy within its budget
   * plus {@link #TARGET_SLACK} of its magnitude, found by a run of {@code targetProbeS} seconds outside
   * every method's timing); {@code goal} the quantity that decides arrival instead, if any ({@code
   * name}, {@code threshold}); {@code target} the target itself, for replaying the traces; {@code
   * instance} the problem run (with its target) and {@code seed} the first seed, for the plots.
   */
  public record Result(
      String problem,
      String graph,
      int nodes,
      @JsonProperty("free_nodes") int freeNodes,
      int edges,
      @JsonProperty("exact_energy") Double exactEnergy,
      @JsonProperty("exact_solve_s") double exactSolveS,
      double tolerance,
      Map<String, MethodResult> methods,
      Speedup speedup,
      @JsonProperty("gnn_vs_lbfgs") Speedup gnnVsLbfgs,
      @JsonProperty("gnn_vs_cg") Speedup gnnVsCg,
      @JsonProperty("per_seed") Map<String, List<MethodResult>> perSeed,
      @JsonProperty("target_energy") double targetEnergy,
      @JsonProperty("target_source") String targetSource,
      @JsonProperty("target_probe_s") Double targetProbeS,
      Map<String, Object> goal,
      @JsonIgnore Target target,
      @JsonIgnore Problem instance,
      @JsonIgnore long seed) {}

  /** The default target of a problem without one: the direct method's lowest energy plus this much of its magnitude. */
  public static final double TARGET_SLACK = 1e-3;

  /** A problem and the target it was given, where that came from, and how long finding it took. */
  public record Targeted(Problem problem, String source, Double probeS) {}

  /**
   * The problem with a target: as it is when it has one ({@code optimum} or {@code given}); else
   * aiming at {@code best + TARGET_SLACK |best|} with best the lowest energy the direct method reaches
   * (and holds for two evaluations in a row, as arrival requires) from the initial point of {@code
   * base}'s seed within {@code base}'s budgets ({@code direct_best}), so the direct method itself
   * reaches the target, at or before the iteration of its best.
   */
  public static Targeted withTarget(Problem problem, RunSettings base) {
    if (problem.hasTarget()) {
      return new Targeted(problem, problem.optimum().isPresent() ? "optimum" : "given", null);
    }
    long t0 = System.nanoTime();
    MethodResult probe = Reparametrization.direct(problem, base, new Target.None());
    // Target.None: the trace's gaps are the energies of x_0, x_1, ... A run arrives when the energy
    // of x_i and of the updated x_{i+1} are both within the target (Reparametrization's Loop), so the
    // level a rerun can reach is the lowest max(E(x_i), E(x_i+1)), not the lowest single energy (which
    // an oscillating optimizer may touch for one step only).
    double best = Double.POSITIVE_INFINITY;
    Trace t = probe.trace();
    for (int i = 0; i + 1 < t.size(); i++) {
      double held = Math.max(t.gap(i), t.gap(i + 1));
      if (Double.isFinite(held)) {
        best = Math.min(best, held);
      }
    }
    Preconditions.checkState(Double.isFinite(best), "the direct method found no finite energy to aim at; give --target");
    return new Targeted(problem.withTargetValue(best + TARGET_SLACK * Math.abs(best)), "direct_best", (System.nanoTime() - t0) / 1e9);
  }

  /**
   * One line of metrics.jsonl: the gap, the energy it was recorded for, and where the problem watches
   * a quantity and it was measured at this iteration, that quantity under its key (Kuramoto: {@code r}).
   */
  record Metrics(
      String method, long seed, long iteration, @JsonProperty("wall_s") double wallS, double gap, double energy,
      @JsonAnyGetter Map<String, Double> watched) {}

  /**
   * Runs {@code methods} ("direct", "gnn", "lbfgs", "cg") on {@code problem} (on the graph named {@code graph}) for
   * seeds seed..seed+seeds-1, appending each run's trace to {@code out}'s metrics (none when {@code out}
   * is null). The caller writes the result ({@link #write}).
   */
  public static Result run(
      String graph, Problem problem, List<String> methods, RunSettings base, int seeds, RunDirectory out) {
    Preconditions.checkArgument(seeds >= 1, "seeds must be at least 1, got %s", seeds);
    checkMethods(methods);
    warmUp(base);
    Targeted targeted = withTarget(problem, base);
    problem = targeted.problem();
    long solveStart = System.nanoTime();
    Target target = problem.target(base.tolerance()); // solves exactly once
    double solveS = (System.nanoTime() - solveStart) / 1e9;
    Map<String, List<MethodResult>> perSeed = new LinkedHashMap<>();
    for (String method : methods) {
      List<MethodResult> runs = new ArrayList<>();
      for (int k = 0; k < seeds; k++) {
        RunSettings s = base.withSeed(base.seed() + k);
        MethodResult r = runMethod(method, problem, s);
        runs.add(r);
        if (out != null) {
          logMetrics(out, r, s.seed(), target, problem.watched());
        }
      }
      perSeed.put(method, runs);
    }
    Map<String, MethodResult> median = new LinkedHashMap<>();
    perSeed.forEach((m, runs) -> median.put(m, median(runs)));
    Result result =
        new Result(
            problem.name(),
            graph,
            problem.graph().nodes(),
            problem.size(),
            problem.graph().edges(),
            problem.optimum().map(Optimum::energy).orElse(null),
            solveS,
            base.tolerance(),
            median,
            Speedup.of(median.get("direct"), median.get("gnn")),
            Speedup.of(median.get("lbfgs"), median.get("gnn")),
            Speedup.of(median.get("cg"), median.get("gnn")),
            perSeed,
            target.energy(),
            targeted.source(),
            targeted.probeS(),
            problem.goal() == null ? null : goalJson(problem.goal()),
            target,
            problem,
            base.seed());
    return result;
  }

  private static Map<String, Object> goalJson(Problem.Goal goal) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", goal.name());
    m.put("threshold", goal.threshold());
    return m;
  }

  /** One run of a method by name: direct, gnn, lbfgs or cg. */
  public static MethodResult runMethod(String method, Problem problem, RunSettings s) {
    return switch (method) {
      case "direct" -> Reparametrization.direct(problem, s);
      case "gnn" -> Reparametrization.gnn(problem, s);
      case "lbfgs" -> Reparametrization.lbfgs(problem, s);
      case "cg" -> Reparametrization.cg(problem, s);
      default -> throw new IllegalArgumentException("unknown method '" + method + "'; expected one of " + String.join(", ", METHODS));
    };
  }

  /** The method names a run knows; throws IllegalArgumentException naming the first unknown one. */
  public static List<String> checkMethods(List<String> methods) {
    Preconditions.checkArgument(!methods.isEmpty(), "no methods given; expected some of %s", String.join(", ", METHODS));
    for (String m : methods) {
      Preconditions.checkArgument(METHODS.contains(m), "unknown method '%s'; expected one of %s", m, String.join(", ", METHODS));
    }
    Preconditions.checkArgument(methods.stream().distinct().count() == methods.size(), "--methods names a method twice: %s", String.join(",", methods));
    return methods;
  }

  /**
   * Loads TensorFlow's native code and JIT-compiles the step loop on a tiny heat problem (whatever the
   * run's problem: only the start-up matters), so that neither method pays the process's one-time
   * start-up (about 1.5 s) inside its timed run.
   */
  public static void warmUp(RunSettings base) {
    HeatProblem tiny = HeatProblem.of(GraphSpec.load("grid2d:4x3", 0));
    RunSettings s = base.withLearningRates(1e-3, 1e-3, 1e-3).toBuilder()
        .tolerance(1e-12).budgetS(10).maxIterations(20).seed(0).plateau(5, 0).build();
    Reparametrization.direct(tiny, s);
    Reparametrization.gnn(tiny, s);
  }

  /**
   * Writes {@code result.json}, then the plots ({@link RunPlots#write}): the result is on disk before
   * anything that may still fail.
   */
  public static void write(Result result, RunDirectory out) {
    out.writeResult(result);
    RunPlots.write(result, out.root());
  }

  /**
   * The run in the middle when sorted by iterations to tolerance (runs that never got there last;
   * iterations, not wall time, so that a loaded machine cannot change which run is reported); of an
   * even count the slower middle one, so two seeds report the slower.
   */
  public static MethodResult median(List<MethodResult> runs) {
    List<MethodResult> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingDouble(r -> r.reached() ? r.iterationsToTol() : Double.POSITIVE_INFINITY));
    return sorted.get(sorted.size() / 2);
  }

  /**
   * Replays a method's run into its TensorBoard log: about {@code points} entries of its trace, then
   * {@code final_gap}, {@code iterations} and (when reached) {@code wall_s_to_tol} at its last
   * iteration.
   */
  public static void replay(ReparamLog log, MethodResult r, Target target, int points) {
    Trace t = r.trace();
    if (!log.enabled() || t == null || t.size() == 0) {
      return;
    }
    boolean twoStage = r.method().equals("gnn");
    log.replay(t, target::energyOf, it -> ReparamLog.Stage.of(twoStage, r.stageSwitchIteration(), it), points);
    long last = t.iteration(t.size() - 1);
    log.scalar(last, "final_gap", r.finalGap());
    log.scalar(last, "iterations", r.iterations());
    if (r.wallSToTol() != null) {
      log.scalar(last, "wall_s_to_tol", r.wallSToTol());
    }
    log.flush();
  }

  /** The trace's log-spaced sample and every entry with a watched value, one metrics line each. */
  private static void logMetrics(RunDirectory out, MethodResult r, long seed, Target target, Problem.Watched watched) {
    Trace t = r.trace();
    for (int i : t.sampleWithWatched(200)) {
      Map<String, Double> values = watched != null && t.hasWatched(i) ? Map.of(watched.key(), t.watched(i)) : Map.of();
      out.appendMetrics(new Metrics(r.method(), seed, t.iteration(i), t.seconds(i), t.gap(i), target.energyOf(t.gap(i)), values));
    }
  }
}
