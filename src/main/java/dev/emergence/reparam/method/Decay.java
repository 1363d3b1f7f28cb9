package dev.emergence.reparam.method;

import com.google.common.base.Preconditions;

/**
 * How a stage's learning rate falls: it halves every {@code halfLife} iterations (0: never) and,
 * whenever {@code patience} steps in a row found no new lowest energy (0: never), halves once more.
 */
public record Decay(double halfLife, int patience) {
  /** A constant rate. */
  public static final Decay NONE = new Decay(0, 0);

  /** Checks both numbers, naming the options of {@code stage} ("gnn" or "stage2"). */
  public void check(String stage) {
    Preconditions.checkArgument(
        halfLife >= 0 && Double.isFinite(halfLife),
        "--%s-half-life must be >= 0, got %s",
        stage,
        halfLife);
    Preconditions.checkArgument(
        patience >= 0, "--%s-patience must be >= 0, got %s", stage, patience);
  }

  /** The scheduled rate at iteration t of the stage (0-based), before any halving for patience. */
  double at(double rate, long t) {
    return halfLife == 0 ? rate : rate * Math.pow(0.5, t / halfLife);
  }
}
