package dev.emergence.train;

import com.google.common.base.Preconditions;
import dev.emergence.optim.AdamW;
import dev.emergence.optim.AdamWConfig;
import dev.emergence.optim.LearningRateSchedule;

/**
 * How a model is trained. Defaults ({@link #defaults}) are the ones that trained the capacity-study
 * models in a reference PyTorch run: AdamW lr 3e-3, betas (0.9, 0.98), weight decay 0.01 on matrices,
 * 200 warmup steps, cosine to 10%, batch 256.
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

  /** Where the loss applies: the answer (everything after the first '=', incl. end) or every token. */
  public enum LossOn {
    ANSWER,
    ALL
  }

  public TrainConfig {
    Preconditions.checkArgument(steps > 0, "steps must be positive, got %s", steps);
    Preconditions.checkArgument(batch > 0, "batch size must be positive, got %s", batch);
    Preconditions.checkArgument(learningRate > 0, "learning rate must be positive, got %s", learningRate);
    Preconditions.checkArgument(warmupSteps >= 0, "warmup steps must be >= 0, got %s", warmupSteps);
    Preconditions.checkArgument(evalEvery > 0, "evaluation interval must be positive, got %s", evalEvery);
    Preconditions.checkArgument(patience > 0, "patience must be positive, got %s", patience);
    Preconditions.checkArgument(lossEvery > 0, "loss interval must be positive, got %s", lossEvery);
    Preconditions.checkNotNull(lossOn, "lossOn");
  }

  public static TrainConfig defaults(int steps) {
    return new TrainConfig(steps, 256, 3e-3, 0.9, 0.98, 0.01, 200, 0.1, 250, 1.01, 2, LossOn.ANSWER, 10);
  }

  public AdamWConfig adam() {
    return new AdamWConfig(beta1, beta2, 1e-8, weightDecay, AdamWConfig::isMatrix);
  }

  public LearningRateSchedule schedule() {
    return LearningRateSchedule.warmupCosine(learningRate, warmupSteps, steps, finalLrFraction);
  }

  public TrainConfig withSteps(int n) {
    return new TrainConfig(n, batch, learningRate, beta1, beta2, weightDecay, warmupSteps, finalLrFraction, evalEvery, targetAccuracy, patience, lossOn, lossEvery);
  }

  public TrainConfig withBatch(int b) {
    return new TrainConfig(steps, b, learningRate, beta1, beta2, weightDecay, warmupSteps, finalLrFraction, evalEvery, targetAccuracy, patience, lossOn, lossEvery);
  }

  public TrainConfig withLearningRate(double lr) {
    return new TrainConfig(steps, batch, lr, beta1, beta2, weightDecay, warmupSteps, finalLrFraction, evalEvery, targetAccuracy, patience, lossOn, lossEvery);
  }

  public TrainConfig withWarmup(int w) {
    return new TrainConfig(steps, batch, learningRate, beta1, beta2, weightDecay, w, finalLrFraction, evalEvery, targetAccuracy, patience, lossOn, lossEvery);
  }

  public TrainConfig withEvalEvery(int e) {
    return new TrainConfig(steps, batch, learningRate, beta1, beta2, weightDecay, warmupSteps, finalLrFraction, e, targetAccuracy, patience, lossOn, lossEvery);
  }

  public TrainConfig withTarget(double accuracy, int evaluations) {
    return new TrainConfig(steps, batch, learningRate, beta1, beta2, weightDecay, warmupSteps, finalLrFraction, evalEvery, accuracy, evaluations, lossOn, lossEvery);
  }

  public TrainConfig withLossOn(LossOn on) {
    return new TrainConfig(steps, batch, learningRate, beta1, beta2, weightDecay, warmupSteps, finalLrFraction, evalEvery, targetAccuracy, patience, on, lossEvery);
  }

  public TrainConfig withWeightDecay(double wd) {
    return new TrainConfig(steps, batch, learningRate, beta1, beta2, wd, warmupSteps, finalLrFraction, evalEvery, targetAccuracy, patience, lossOn, lossEvery);
  }
}
