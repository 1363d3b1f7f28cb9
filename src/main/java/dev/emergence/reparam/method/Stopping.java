package dev.emergence.reparam.method;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.google.common.base.Preconditions;

/**
 * When every method and stage stops (see {@link Progress}): at the target, the relative energy gap
 * {@code tolerance} for a problem with a known optimum; or after {@code maxIterations} iterations
 * (a budget the same on any machine); or after {@code budgetS} wall-clock seconds (the only stop
 * that depends on the machine's speed); or, with a {@code stall} window, when the lowest energy
 * fell by less than the tolerance (relative to |E*|, else to the energy) over that many steps: the
 * run sits in a local minimum it will not leave (Kuramoto's vortex states), so the rest of its
 * budget would be spent for nothing.
 *
 * @param stall the window of the stall rule in steps, or null: no stall rule (absent from JSON, so
 *     the fingerprints of runs without it are those they had before it existed)
 */
public record Stopping(
    double tolerance,
    long maxIterations,
    double budgetS,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer stall) {
  public static final Stopping DEFAULTS = new Stopping(1e-6, 10_000_000, 120);

  public Stopping {
    Preconditions.checkArgument(
        tolerance > 0 && tolerance < 1, "--tolerance must be in (0, 1), got %s", tolerance);
    Preconditions.checkArgument(
        maxIterations >= 1, "--max-iterations must be at least 1, got %s", maxIterations);
    Preconditions.checkArgument(budgetS > 0, "--budget-s must be positive, got %s", budgetS);
    Preconditions.checkArgument(
        stall == null || stall >= 1, "--stall must be at least 1, got %s", stall);
  }

  /** No stall rule. */
  public Stopping(double tolerance, long maxIterations, double budgetS) {
    this(tolerance, maxIterations, budgetS, null);
  }

  public Stopping withMaxIterations(long cap) {
    return new Stopping(tolerance, cap, budgetS, stall);
  }
}
