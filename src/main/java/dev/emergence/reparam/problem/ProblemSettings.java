package dev.emergence.reparam.problem;

import dev.emergence.reparam.run.ReparamRun;

import com.google.common.base.Preconditions;

/**
 * The options of the problems beyond the graph: what {@code reparam} and {@code reparam-bench} pass to
 * {@link Problems#create(String, String, long, ProblemSettings)}. Each problem reads its own and
 * ignores the rest.
 *
 * @param hessianAt Kuramoto: where the propagation's Hessian is taken
 * @param spread Kuramoto: width of the interval of the initial phases, in (0, 2 pi]
 * @param targetR Kuramoto: arrived when the order parameter reaches it (null: the energy gap decides)
 * @param mode homology: pull or push
 * @param k homology: neighbours of the k-NN propagation graph
 * @param spreadPenalty homology: weight of push's spread penalty
 * @param keep homology: pull leaves this many longest bars out
 * @param target homology: the loss value to reach (null: the direct method's best, see {@link
 *     ReparamRun#withTarget})
 */
public record ProblemSettings(
    KuramotoProblem.HessianAt hessianAt,
    double spread,
    Double targetR,
    HomologyProblem.Mode mode,
    int k,
    double spreadPenalty,
    int keep,
    Double target) {
  /**
   * The default initial spread of Kuramoto's phases: 3 rad, not the full circle; on a 2D grid
   * phases uniform on the full circle often hold vortices that unwind very slowly (see the README).
   */
  public static final double DEFAULT_SPREAD = 3.0;

  public ProblemSettings {
    Preconditions.checkNotNull(hessianAt, "no Kuramoto Hessian point given");
    Preconditions.checkNotNull(mode, "no homology mode given");
    Preconditions.checkArgument(spread > 0 && spread <= 2 * Math.PI + 1e-12, "--spread must be in (0, 2 pi], got %s", spread);
    Preconditions.checkArgument(targetR == null || (targetR > 0 && targetR <= 1), "--target-r must be in (0, 1], got %s", targetR);
    Preconditions.checkArgument(k >= 1, "--k must be at least 1, got %s", k);
    Preconditions.checkArgument(spreadPenalty >= 0 && Double.isFinite(spreadPenalty), "--spread-penalty must be >= 0, got %s", spreadPenalty);
    Preconditions.checkArgument(keep >= 0, "--keep must be >= 0, got %s", keep);
    Preconditions.checkArgument(target == null || Double.isFinite(target), "--target must be finite, got %s", target);
  }

  public static ProblemSettings defaults() {
    return new ProblemSettings(KuramotoProblem.HessianAt.SYNCHRONIZED, DEFAULT_SPREAD, null, HomologyProblem.Mode.PULL,
        HomologyProblem.DEFAULT_K, HomologyProblem.DEFAULT_SPREAD, 0, null);
  }

  /** Homology's settings. */
  public HomologyProblem.Settings homology() {
    return new HomologyProblem.Settings(mode, k, spreadPenalty, keep, target);
  }
}
