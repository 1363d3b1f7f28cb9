package dev.emergence.reparam.method;

import com.google.common.base.Preconditions;

/**
 * When every method and stage stops (see {@link StoppingRule}): at the target, the relative energy
 * gap {@code tolerance} for a problem with a known optimum; or after {@code maxIterations}
 * iterations (a budget the same on any machine); or after {@code budgetS} wall-clock seconds (the only
 * stop that depends on the machine's speed).
 */
public record Stopping(double tolerance, long maxIterations, double budgetS) {
  public static final Stopping DEFAULTS = new Stopping(1e-6, 10_000_000, 120);

  public Stopping {
    Preconditions.checkArgument(tolerance > 0 && tolerance < 1, "--tolerance must be in (0, 1), got %s", tolerance);
    Preconditions.checkArgument(maxIterations >= 1, "--max-iterations must be at least 1, got %s", maxIterations);
    Preconditions.checkArgument(budgetS > 0, "--budget-s must be positive, got %s", budgetS);
  }

  public Stopping withMaxIterations(long cap) {
    return new Stopping(tolerance, cap, budgetS);
  }
}
