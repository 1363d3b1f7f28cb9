package dev.emergence.reparam.method;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The outcome of one method on one problem, as values. Times are wall seconds from the method's
 * start (for the GNN: before building the Hessian, the propagation matrix and the graph), excluding
 * finding the target.
 *
 * @param optimizer the first-order optimizer ({@code sgd}, ...), or for L-BFGS and CG the method
 *     itself
 * @param stage2Lr the second stage's rate (the two-stage method only)
 * @param stageSwitchIteration the iteration at which the GNN stage handed over to direct
 *     optimization (null for the other methods, or when the GNN stage reached the tolerance or ran
 *     out of budget)
 * @param setupS seconds spent before the first step (Hessian, propagation, graph, session)
 * @param maxAbsError the largest |x_i - x*_i| against the exact optimum (null where it is not known
 *     or not unique)
 * @param finalGoal the problem's goal at the answer (Kuramoto with a target r: the order
 *     parameter), else null
 * @param diverged the energy became non-finite or grew far above its start
 * @param stop why the run ended: {@code reached}, {@code max_iterations} (the iteration budget),
 *     {@code budget_s} (the wall-clock budget: the only stop that depends on the machine's speed),
 *     {@code stalled} (in a local minimum, by the stall rule when given) or {@code diverged}
 * @param cpuS the process's CPU seconds over the run (every thread: TensorFlow's and the JVM's),
 *     plus the seconds of a spectrum estimate the run counts; null in results written before it
 *     existed
 * @param localMinimum when the run settled into the minimum it ended in: for a reached run its
 *     arrival; else the first iteration from which the energy stayed within the tolerance (relative
 *     to |E*|) of its final energy, if that was in the first half of the run (else null: still
 *     moving)
 * @param watchedLevel when the problem's watched quantity first reached its level (Kuramoto: r >=
 *     0.99), among the iterations it was measured at (log-spaced, 16 per doubling: at most 1/16
 *     late); null when it never did or the problem watches nothing
 * @param measures the problem's measures of the answer ({@link
 *     dev.emergence.reparam.Problem#measures}; Kuramoto: vortices left)
 */
public record MethodResult(
    MethodKind method,
    String optimizer,
    double lr,
    Double stage2Lr,
    boolean reached,
    Long iterationsToTol,
    @JsonProperty("wall_s_to_tol") Double wallSToTol, // snake case alone: wall_sto_tol
    double finalGap,
    long iterations,
    double wallS,
    double setupS,
    Long stageSwitchIteration,
    Double maxAbsError,
    Double finalGoal,
    boolean diverged,
    String stop,
    Double cpuS,
    Arrival localMinimum,
    Arrival watchedLevel,
    Map<String, Double> measures) {
  /**
   * Where a run got somewhere: after {@code iterations} steps, {@code wallS} seconds from its
   * start.
   */
  public record Arrival(long iterations, double wallS) {}
}
