package dev.emergence.reparam.method;

import dev.emergence.reparam.Trace;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The outcome of one method on one problem. Times are wall seconds from the method's start (for the
 * GNN: before building the Hessian, the propagation matrix and the graph), excluding the exact solve.
 *
 * @param stageSwitchIteration the iteration at which the GNN stage handed over to direct optimization
 *     (null for the direct method, or when the GNN stage reached the tolerance or ran out of budget)
 * @param setupS seconds spent before the first step (Hessian, propagation, graph, session)
 * @param maxAbsError the largest |x_i - x*_i| against the exact optimum (null where it is not known or
 *     not unique)
 * @param finalGoal the problem's goal at the answer (Kuramoto with a target r: the order parameter), else null
 * @param diverged the energy became non-finite or grew far above its start
 * @param stop why the run ended: {@code reached}, {@code max_iterations} (the iteration budget), {@code
 *     budget_s} (the wall-clock budget: the only stop that depends on the machine's speed) or {@code
 *     diverged}
 */
public record MethodResult(
    String method,
    String optimizer,
    double lr,
    @JsonProperty("stage2_lr") Double stage2Lr,
    boolean reached,
    @JsonProperty("iterations_to_tol") Long iterationsToTol,
    @JsonProperty("wall_s_to_tol") Double wallSToTol,
    @JsonProperty("final_gap") double finalGap,
    long iterations,
    @JsonProperty("wall_s") double wallS,
    @JsonProperty("setup_s") double setupS,
    @JsonProperty("stage_switch_iteration") Long stageSwitchIteration,
    @JsonProperty("max_abs_error") Double maxAbsError,
    @JsonProperty("final_goal") Double finalGoal,
    boolean diverged,
    String stop,
    @JsonIgnore double[] solution,
    @JsonIgnore Trace trace) {}
