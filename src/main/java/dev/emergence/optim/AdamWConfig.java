package dev.emergence.optim;

import com.google.common.base.Preconditions;
import java.util.function.Predicate;
import org.tensorflow.ndarray.Shape;

/**
 * The hyperparameters of {@link AdamW}, {@link Adam} and {@link FusedAdamW}; {@code decayed} says,
 * from a variable's shape (a stack member's shape for {@link AdamW}), which variables get weight
 * decay (by default matrices, embeddings included).
 */
public record AdamWConfig(
    double beta1, double beta2, double epsilon, double weightDecay, Predicate<Shape> decayed) {
  public AdamWConfig {
    Preconditions.checkArgument(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got %s", beta1);
    Preconditions.checkArgument(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got %s", beta2);
    Preconditions.checkArgument(epsilon > 0, "epsilon must be positive, got %s", epsilon);
    Preconditions.checkArgument(weightDecay >= 0, "weight decay must be >= 0, got %s", weightDecay);
  }

  /**
   * The defaults that trained the capacity-study models: betas (0.9, 0.98), decay 0.01 on matrices.
   */
  public static AdamWConfig defaults() {
    return new AdamWConfig(0.9, 0.98, 1e-8, 0.01, AdamWConfig::isMatrix);
  }

  /** Adam without decay, PyTorch's defaults: betas (0.9, 0.999), eps 1e-8. */
  public static AdamWConfig adam() {
    return new AdamWConfig(0.9, 0.999, 1e-8, 0, shape -> false);
  }

  public static boolean isMatrix(Shape shape) {
    return shape.numDimensions() >= 2;
  }

  public AdamWConfig withBetas(double beta1, double beta2) {
    return new AdamWConfig(beta1, beta2, epsilon, weightDecay, decayed);
  }

  public AdamWConfig withEpsilon(double epsilon) {
    return new AdamWConfig(beta1, beta2, epsilon, weightDecay, decayed);
  }

  public AdamWConfig withWeightDecay(double weightDecay) {
    return new AdamWConfig(beta1, beta2, epsilon, weightDecay, decayed);
  }
}
