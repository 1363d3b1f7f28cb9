package dev.emergence.optim;

import com.google.common.base.Preconditions;

/** The learning rate as a function of the step (0-based), fed to the graph each step. */
@FunctionalInterface
public interface LearningRateSchedule {
  double at(long step);

  static LearningRateSchedule constant(double lr) {
    Preconditions.checkArgument(lr > 0, "learning rate must be positive, got %s", lr);
    return step -> lr;
  }

  /**
   * Linear warmup over {@code warmupSteps}, then cosine decay from {@code peak} to {@code
   * finalFraction * peak} at {@code totalSteps} (held there after).
   */
  static LearningRateSchedule warmupCosine(
      double peak, long warmupSteps, long totalSteps, double finalFraction) {
    Preconditions.checkArgument(peak > 0, "peak learning rate must be positive, got %s", peak);
    Preconditions.checkArgument(warmupSteps >= 0, "warmup steps must be >= 0, got %s", warmupSteps);
    Preconditions.checkArgument(totalSteps > 0, "total steps must be positive, got %s", totalSteps);
    Preconditions.checkArgument(
        finalFraction >= 0 && finalFraction <= 1,
        "final fraction must be in [0, 1], got %s",
        finalFraction);
    return step -> {
      double warm = warmupSteps == 0 ? 1 : Math.min(1.0, (step + 1) / (double) warmupSteps);
      double progress = Math.min(1.0, step / (double) totalSteps);
      double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
      return peak * warm * (finalFraction + (1 - finalFraction) * cosine);
    };
  }
}
