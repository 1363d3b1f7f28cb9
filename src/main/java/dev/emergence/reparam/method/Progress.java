package dev.emergence.reparam.method;

import dev.emergence.reparam.Optimum;
import dev.emergence.reparam.Problem;
import dev.emergence.reparam.Target;
import dev.emergence.reparam.Trace;
import dev.emergence.report.StopSignal;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One method run as it goes: its clock, its trace, and the stopping rule every stage and method
 * shares. A run has arrived when the problem's goal meets its threshold where the problem has a
 * goal, else when the energy's gap is within the target. Otherwise it stops when it diverged (the
 * energy non-finite, or above {@link #divergenceLimit} of the energy its stage started at), when
 * the iteration cap is used up, or when the wall-clock budget is. A stop signal ({@link
 * StopSignal}) ends it at once with {@link dev.emergence.report.RunDirectory.Stopped}.
 */
final class Progress {
  /** Why a run or stage ended. */
  enum Reason {
    REACHED,
    PLATEAU,
    MAX_ITERATIONS,
    BUDGET_S,
    DIVERGED,
    /** The stall rule ({@link Stopping#stall}): a local minimum. */
    STALLED
  }

  /**
   * Where a run or stage ended: {@code iterations} steps taken (for a diverged run, up to the x
   * that diverged), and when reached, the steps and seconds to the target.
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
  private final long cpu0 = processCpuNanos();
  private final Trace trace = new Trace();
  private double limit = Double.POSITIVE_INFINITY;

  /** Seconds of work done before the run but counted in it (a spectrum estimate it reads). */
  private double charged;

  Progress(Problem problem, Target target, Stopping stopping) {
    this.problem = problem;
    this.target = target;
    this.goal = problem.goal();
    this.stopping = stopping;
  }

  /** Seconds since the run started (before anything the method builds), plus those charged. */
  double seconds() {
    return (System.nanoTime() - t0) / 1e9 + charged;
  }

  /**
   * Counts {@code seconds} of work done once for the problem and kept (a {@link Spectrum} estimate)
   * in this run's wall and CPU time, as if the run had done it: call before the first step.
   */
  void charge(double seconds) {
    charged += seconds;
  }

  /** The CPU time of the whole process (every thread, TensorFlow's too), nanoseconds. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
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

  /** A stage starts at energy e: divergence and stalling are measured from there. */
  void startStage(double e) {
    limit = divergenceLimit(e, target);
    if (stopping.stall() != null) {
      lowestSeen = new double[stopping.stall() + 1];
      stageSteps = 0;
    }
  }

  /**
   * The stall rule's record: the lowest energy of the stage up to each of its last stall + 1 steps.
   */
  private double[] lowestSeen;

  private long stageSteps;

  /**
   * Whether the lowest energy, now with e, fell by less than the tolerance band over the last stall
   * steps.
   */
  private boolean stalled(double e) {
    if (lowestSeen == null) {
      return false;
    }
    int w = lowestSeen.length;
    double lowest = stageSteps == 0 ? e : Math.min(e, lowestSeen[(int) ((stageSteps - 1) % w)]);
    lowestSeen[(int) (stageSteps % w)] = lowest;
    stageSteps++;
    if (stageSteps < w) {
      return false;
    }
    double old = lowestSeen[(int) (stageSteps % w)]; // the lowest stall steps ago
    double scale = target.energy() != 0 ? Math.abs(target.energy()) : Math.abs(lowest);
    return old - lowest < stopping.tolerance() * scale;
  }

  /**
   * The energy above which a run counts as diverged, from its first energy e: {@code e + 1e3
   * max(|e|, |target energy|)} (works for negative energies: Kuramoto, homology's push); none when
   * both are 0.
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
    if (StopSignal
        .requested()) { // a signal: the run in hand is given up, the command records where it
      // stopped
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
    if (stalled(e)) {
      return Optional.of(Stop.of(Reason.STALLED, taken));
    }
    return Optional.empty();
  }

  /**
   * The run's result from its answer x: the gap at x, the distance to a unique optimum, the goal at
   * x, and a run whose x is not finite counted as diverged.
   *
   * @param optimizer the first-order optimizer's label, or for a method without one, the method's
   */
  MethodRun finish(
      MethodKind method,
      String optimizer,
      double lr,
      Double stage2Lr,
      double[] answer,
      Stop stop,
      Long switchIteration,
      double setupS) {
    double wall = stop.wallSToTol() != null ? stop.wallSToTol() : seconds();
    Double maxError =
        problem.optimum().flatMap(Optimum::x).map(exact -> maxAbsError(answer, exact)).orElse(null);
    Double finalGoal = goal.map(g -> g.value(answer)).orElse(null);
    boolean diverged =
        stop.reason() == Reason.DIVERGED
            || Arrays.stream(answer).anyMatch(v -> !Double.isFinite(v));
    double cpu = (processCpuNanos() - cpu0) / 1e9 + charged;
    double energy = problem.energy(answer);
    boolean reached = stop.reason() == Reason.REACHED;
    MethodResult.Arrival settled =
        reached
            ? new MethodResult.Arrival(stop.iterationsToTol(), stop.wallSToTol())
            : diverged
                ? null
                : settled(
                    energy, stop.reason() == Reason.STALLED ? Long.MAX_VALUE : stop.iterations());
    Map<String, Double> measures = diverged ? Map.of() : problem.measures(answer);
    MethodResult result =
        new MethodResult(
            method,
            optimizer,
            lr,
            stage2Lr,
            reached,
            stop.iterationsToTol(),
            stop.wallSToTol(),
            target.gap(energy),
            stop.iterations(),
            wall,
            setupS,
            switchIteration,
            maxError,
            finalGoal,
            diverged,
            diverged ? "diverged" : stop.reason().name().toLowerCase(Locale.ROOT),
            cpu,
            settled,
            watchedLevel(),
            measures);
    return new MethodRun(result, answer, trace);
  }

  /**
   * When a run that did not reach the target settled into the minimum it ended in: the first trace
   * entry from which every energy stayed within the tolerance, relative to |target energy| (else to
   * |final energy|), of the final one, if that entry lies in the first half of the run (a stalled
   * run: anywhere, the stall rule having seen it stay); else null.
   */
  private MethodResult.Arrival settled(double finalEnergy, long iterations) {
    double scale = target.energy() != 0 ? Math.abs(target.energy()) : Math.abs(finalEnergy);
    double band = stopping.tolerance() * scale;
    int first = trace.size();
    while (first > 0 && Math.abs(target.energyOf(trace.gap(first - 1)) - finalEnergy) <= band) {
      first--;
    }
    if (first == trace.size() || trace.iteration(first) > iterations / 2) {
      return null;
    }
    return new MethodResult.Arrival(trace.iteration(first), trace.seconds(first));
  }

  /** The first measured entry where the watched quantity reached its level, if any. */
  private MethodResult.Arrival watchedLevel() {
    if (problem.watched().isEmpty()) {
      return null;
    }
    double level = problem.watched().get().level();
    for (int i = 0; i < trace.size(); i++) {
      if (trace.hasWatched(i) && trace.watched(i) >= level) {
        return new MethodResult.Arrival(trace.iteration(i), trace.seconds(i));
      }
    }
    return null;
  }

  private static double maxAbsError(double[] x, double[] exact) {
    double max = 0;
    for (int i = 0; i < x.length; i++) {
      max = Math.max(max, Math.abs(x[i] - exact[i]));
    }
    return max;
  }
}
