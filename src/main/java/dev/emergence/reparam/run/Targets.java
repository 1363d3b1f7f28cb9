package dev.emergence.reparam.run;

import com.google.common.base.Preconditions;
import dev.emergence.reparam.Problem;
import dev.emergence.reparam.Target;
import dev.emergence.reparam.Trace;
import dev.emergence.reparam.method.MethodKind;
import dev.emergence.reparam.method.RunSettings;
import java.util.Optional;

/** What a run aims at, and where that came from. */
public final class Targets {
  /**
   * The default target of a problem without one: the direct method's lowest energy plus this much
   * of its magnitude.
   */
  public static final double TARGET_SLACK = 1e-3;

  private Targets() {}

  /**
   * A target, where it came from ({@code optimum}, {@code given}, or {@code direct_best}), the
   * seconds the problem's exact solve took, and those of the probe run that found a {@code
   * direct_best} target (null otherwise); both outside every method's timing.
   */
  public record Found(Target target, String source, double exactSolveS, Double probeS) {}

  /**
   * The problem's own target at the settings' tolerance ({@code optimum} where it knows its
   * optimum, else {@code given}); for a problem without one, {@code best + TARGET_SLACK |best|}
   * with best the lowest energy the direct method reaches (and holds for two evaluations in a row,
   * as arrival requires) from the initial point of {@code base}'s seed within {@code base}'s
   * budgets ({@code direct_best}), so that the direct method itself reaches the target, at or
   * before the iteration of its best.
   */
  public static Found find(Problem problem, RunSettings base) {
    long solveStart = System.nanoTime();
    Optional<Target> own = problem.target(base.stopping().tolerance()); // an exact solve, once
    double solveS = (System.nanoTime() - solveStart) / 1e9;
    if (own.isPresent()) {
      return new Found(
          own.get(), problem.optimum().isPresent() ? "optimum" : "given", solveS, null);
    }
    long t0 = System.nanoTime();
    Trace t = MethodKind.DIRECT.run(problem, new Target.None(), base).trace();
    // Target.None: the trace's gaps are the energies of x_0, x_1, ... A run arrives when the energy
    // of x_i and of the updated x_{i+1} are both within the target, so the level a rerun can reach
    // is
    // the lowest max(E(x_i), E(x_i+1)), not the lowest single energy (which an oscillating
    // optimizer
    // may touch for one step only).
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i + 1 < t.size(); i++) {
      double held = Math.max(t.gap(i), t.gap(i + 1));
      if (Double.isFinite(held)) {
        best = Math.min(best, held);
      }
    }
    Preconditions.checkState(
        Double.isFinite(best), "the direct method found no finite energy to aim at; give --target");
    return new Found(
        new Target.Value(best + TARGET_SLACK * Math.abs(best)),
        "direct_best",
        solveS,
        (System.nanoTime() - t0) / 1e9);
  }
}
