package dev.emergence.reparam.method;

import dev.emergence.reparam.Optimum;
import dev.emergence.reparam.Problem;
import dev.emergence.reparam.Target;
import dev.emergence.reparam.Trace;
import dev.emergence.report.StopSignal;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * One method run as it goes: its clock, its trace, and the stopping rule every stage and method
 * shares. A run has arrived when the problem's goal meets its threshold where the problem has a goal,
 * else when the energy's gap is within the target. Otherwise it stops when it diverged (the energy
 * non-finite, or above {@link #divergenceLimit} of the energy its stage started at), when the iteration
 * cap is used up, or when the wall-clock budget is. A stop signal ({@link StopSignal}) ends it at
 * once with {@link dev.emergence.report.RunDirectory.Stopped}.
 */
final class Progress {
  /** Why a run or stage ended. */
  enum Reason {
    REACHED,
    PLATEAU,
    MAX_ITERATIONS,
    BUDGET_S,
    DIVERGED
  }

  /**
   * Where a run or stage ended: {@code iterations} steps taken (for a diverged run, up to the x that
   * diverged), and when reached, the steps and seconds to the target.
   */
  record Stop(Reason reason, long iterations, Long iterationsToTol, Double wallSToTol) {
    static Stop reached(long iterations, double wallS) {
      return new Stop(Reason.REACHED, iterations, iterations, wallS);
    }

    static Stop of(Reason reason, long iterations) {
      return new Stop(reason, iterations, null, null);
    }
  }

  private final Problem problem;
  private final Target target;
  private final Optional<Problem.Goal> goal;
  private final Stopping stopping;
  private final long t0 = System.nanoTime();
  private final Trace trace = new Trace();
  private double limit = Double.POSITIVE_INFINITY;

  Progress(Problem problem, Target target, Stopping stopping) {
    this.problem = problem;
    this.target = target;
    this.goal = problem.goal();
    this.stopping = stopping;
  }

  /** Seconds since the run started (before anything the method builds). */
  double seconds() {
    return (System.nanoTime() - t0) / 1e9;
  }

  Target target() {
    return target;
  }

  Trace trace() {
    return trace;
  }

  long maxIterations() {
    return stopping.maxIterations();
  }

  /** Arrived: with a goal, its value at the threshold; else the gap within the target. */
  boolean arrived(double gap, double goalValue) {
    return goal.isPresent() ? goalValue >= goal.get().threshold() : target.reached(gap);
  }

  /** {@link #arrived(double, double)} at x with energy e, the goal computed in plain doubles. */
  boolean arrived(double e, double[] x) {
    return arrived(target.gap(e), goal.isPresent() ? goal.get().value(x) : Double.NaN);
  }

  /** A stage starts at energy e: divergence is measured from there. */
  void startStage(double e) {
    limit = divergenceLimit(e, target);
  }

  /**
   * The energy above which a run counts as diverged, from its first energy e: {@code e + 1e3 max(|e|,
   * |target energy|)} (works for negative energies: Kuramoto, homology's push); none when both are 0.
   */
  static double divergenceLimit(double e, Target target) {
    double scale = Math.max(Math.abs(e), Math.abs(target.energy()));
    return scale > 0 ? e + 1e3 * scale : Double.POSITIVE_INFINITY;
  }

  /**
   * Why to stop short of the target, if at all, after {@code taken} steps, the energy e being that
   * of the x after {@code evaluated} steps: diverged (counting to that x), the iteration cap, the
   * wall-clock budget.
   */
  Optional<Stop> stop(long evaluated, long taken, double e, double wallS) {
    if (StopSignal.requested()) { // a signal: the run in hand is given up, the command records where it stopped
      throw StopSignal.stoppedAt(taken);
    }
    if (!Double.isFinite(e) || e > limit) {
      return Optional.of(Stop.of(Reason.DIVERGED, evaluated));
    }
    if (taken >= stopping.maxIterations()) {
      return Optional.of(Stop.of(Reason.MAX_ITERATIONS, taken));
    }
    if (wallS > stopping.budgetS()) {
      return Optional.of(Stop.of(Reason.BUDGET_S, taken));
    }
    return Optional.empty();
  }

  /**
   * The run's result from its answer x: the gap at x, the distance to a unique optimum, the goal at x,
   * and a run whose x is not finite counted as diverged.
   *
   * @param optimizer the first-order optimizer's label, or for a method without one, the method's
   */
  MethodRun finish(MethodKind method, String optimizer, double lr, Double stage2Lr, double[] answer, Stop stop, Long switchIteration,
      double setupS) {
    double wall = stop.wallSToTol() != null ? stop.wallSToTol() : seconds();
    Double maxError = problem.optimum().flatMap(Optimum::x).map(exact -> maxAbsError(answer, exact)).orElse(null);
    Double finalGoal = goal.map(g -> g.value(answer)).orElse(null);
    boolean diverged = stop.reason() == Reason.DIVERGED || Arrays.stream(answer).anyMatch(v -> !Double.isFinite(v));
    MethodResult result = new MethodResult(method, optimizer, lr, stage2Lr, stop.reason() == Reason.REACHED, stop.iterationsToTol(),
        stop.wallSToTol(), target.gap(problem.energy(answer)), stop.iterations(), wall, setupS, switchIteration, maxError, finalGoal,
        diverged, diverged ? "diverged" : stop.reason().name().toLowerCase(Locale.ROOT));
    return new MethodRun(result, answer, trace);
  }

  private static double maxAbsError(double[] x, double[] exact) {
    double max = 0;
    for (int i = 0; i < x.length; i++) {
      max = Math.max(max, Math.abs(x[i] - exact[i]));
    }
    return max;
  }
}
