package dev.emergence.train;

import com.google.common.base.Preconditions;
import dev.emergence.optim.AdamWConfig;
import dev.emergence.optim.LearningRateSchedule;

/**
 * How a model is trained. The defaults ({@link #defaults()}, and every {@link Builder} starts from
 * them) are the ones that trained the capacity-study models in a reference PyTorch run: 2000 steps,
 * batch 256, AdamW lr 3e-3 with {@link AdamWConfig#defaults()} (betas (0.9, 0.98), weight decay
 * 0.01 on matrices), 200 warmup steps, cosine to 10%. The command line takes its defaults from
 * here.
 *
 * @param steps step budget (training may stop earlier, see {@code targetAccuracy})
 * @param evalEvery validation every this many steps (and at the end)
 * @param targetAccuracy early stop once overall validation accuracy is at or above this for {@code
 *     patience} evaluations in a row; a value above 1 never stops early
 * @param lossOn which target tokens carry the loss
 * @param lossEvery fetch the training loss every this many steps (fetching every step costs time)
 */
public record TrainConfig(
    int steps,
    int batch,
    double learningRate,
    double beta1,
    double beta2,
    double weightDecay,
    int warmupSteps,
    double finalLrFraction,
    int evalEvery,
    double targetAccuracy,
    int patience,
    LossOn lossOn,
    int lossEvery) {

  /**
   * Where the loss applies: the answer (everything after the first '=', incl. end) or every token.
   */
  public enum LossOn {
    ANSWER,
    ALL
  }

  public TrainConfig {
    Preconditions.checkArgument(steps > 0, "steps must be positive, got %s", steps);
    Preconditions.checkArgument(batch > 0, "batch size must be positive, got %s", batch);
    Preconditions.checkArgument(
        learningRate > 0, "learning rate must be positive, got %s", learningRate);
    Preconditions.checkArgument(warmupSteps >= 0, "warmup steps must be >= 0, got %s", warmupSteps);
    Preconditions.checkArgument(
        evalEvery > 0, "evaluation interval must be positive, got %s", evalEvery);
    Preconditions.checkArgument(patience > 0, "patience must be positive, got %s", patience);
    Preconditions.checkArgument(lossEvery > 0, "loss interval must be positive, got %s", lossEvery);
    Preconditions.checkNotNull(lossOn, "lossOn");
    adam(beta1, beta2, weightDecay); // validates the AdamW hyperparameters
  }

  public static TrainConfig defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this config's values. */
  public Builder toBuilder() {
    return new Builder()
        .steps(steps)
        .batch(batch)
        .learningRate(learningRate)
        .betas(beta1, beta2)
        .weightDecay(weightDecay)
        .warmupSteps(warmupSteps)
        .finalLrFraction(finalLrFraction)
        .evalEvery(evalEvery)
        .target(targetAccuracy, patience)
        .lossOn(lossOn)
        .lossEvery(lossEvery);
  }

  /**
   * {@link AdamWConfig#defaults()} (epsilon, which variables decay) with this config's betas and
   * decay.
   */
  public AdamWConfig adam() {
    return adam(beta1, beta2, weightDecay);
  }

  private static AdamWConfig adam(double beta1, double beta2, double weightDecay) {
    return AdamWConfig.defaults().withBetas(beta1, beta2).withWeightDecay(weightDecay);
  }

  public LearningRateSchedule schedule() {
    return LearningRateSchedule.warmupCosine(learningRate, warmupSteps, steps, finalLrFraction);
  }

  /**
   * Mutable collector for a {@link TrainConfig}; its initial values are the defaults, in one place.
   */
  public static final class Builder {
    private int steps = 2000;
    private int batch = 256;
    private double learningRate = 3e-3;
    private double beta1 = AdamWConfig.defaults().beta1();
    private double beta2 = AdamWConfig.defaults().beta2();
    private double weightDecay = AdamWConfig.defaults().weightDecay();
    private int warmupSteps = 200;
    private double finalLrFraction = 0.1;
    private int evalEvery = 250;
    private double targetAccuracy = 1.01;
    private int patience = 2;
    private LossOn lossOn = LossOn.ANSWER;
    private int lossEvery = 10;

    private Builder() {}

    public Builder steps(int n) {
      steps = n;
      return this;
    }

    public Builder batch(int rows) {
      batch = rows;
      return this;
    }

    public Builder learningRate(double lr) {
      learningRate = lr;
      return this;
    }

    public Builder betas(double b1, double b2) {
      beta1 = b1;
      beta2 = b2;
      return this;
    }

    public Builder weightDecay(double wd) {
      weightDecay = wd;
      return this;
    }

    public Builder warmupSteps(int n) {
      warmupSteps = n;
      return this;
    }

    public Builder finalLrFraction(double fraction) {
      finalLrFraction = fraction;
      return this;
    }

    public Builder evalEvery(int n) {
      evalEvery = n;
      return this;
    }

    /**
     * Early stop once validation accuracy is at or above {@code accuracy} for {@code evaluations}
     * in a row.
     */
    public Builder target(double accuracy, int evaluations) {
      targetAccuracy = accuracy;
      patience = evaluations;
      return this;
    }

    public Builder lossOn(LossOn on) {
      lossOn = on;
      return this;
    }

    public Builder lossEvery(int n) {
      lossEvery = n;
      return this;
    }

    public TrainConfig build() {
      return new TrainConfig(
          steps,
          batch,
          learningRate,
          beta1,
          beta2,
          weightDecay,
          warmupSteps,
          finalLrFraction,
          evalEvery,
          targetAccuracy,
          patience,
          lossOn,
          lossEvery);
    }
  }
}
