package dev.emergence.experiments;

import dev.emergence.train.TrainConfig;
import picocli.CommandLine.Option;

/** AdamW and its learning-rate schedule; the defaults are {@link TrainConfig#defaults()}'. */
public final class OptimizerOptions {
  private static final TrainConfig DEFAULTS = TrainConfig.defaults();

  @Option(
      names = "--lr",
      split = ",",
      description =
          "Peak learning rate; train takes a list (1e-3,3e-3) and trains one model per rate as a stack (default: ${DEFAULT-VALUE}).")
  java.util.List<Double> lr = new java.util.ArrayList<>(java.util.List.of(DEFAULTS.learningRate()));

  /** Every --lr value, each checked positive. */
  java.util.List<Double> rates() {
    com.google.common.base.Preconditions.checkArgument(!lr.isEmpty(), "--lr needs a value");
    for (double rate : lr) {
      com.google.common.base.Preconditions.checkArgument(
          rate > 0 && Double.isFinite(rate), "--lr must be positive, got %s", rate);
    }
    return java.util.List.copyOf(lr);
  }

  /** The one --lr value (commands that train one rate at a time). */
  double singleRate() {
    com.google.common.base.Preconditions.checkArgument(
        lr.size() == 1, "--lr takes one value here, got %s", lr);
    return rates().get(0);
  }

  @Option(names = "--warmup", description = "Linear warmup steps (default: ${DEFAULT-VALUE}).")
  int warmup = DEFAULTS.warmupSteps();

  @Option(
      names = "--final-lr",
      description = "Cosine ends at this fraction of the peak (default: ${DEFAULT-VALUE}).")
  double finalLr = DEFAULTS.finalLrFraction();

  @Option(
      names = "--weight-decay",
      description = "AdamW decay on matrices (default: ${DEFAULT-VALUE}).")
  double weightDecay = DEFAULTS.weightDecay();

  @Option(names = "--beta1", description = "AdamW beta1 (default: ${DEFAULT-VALUE}).")
  double beta1 = DEFAULTS.beta1();

  @Option(names = "--beta2", description = "AdamW beta2 (default: ${DEFAULT-VALUE}).")
  double beta2 = DEFAULTS.beta2();

  TrainConfig.Builder applyTo(TrainConfig.Builder builder) {
    return applyTo(builder, singleRate());
  }

  /** The options with {@code rate} as the peak learning rate (one member of a list of rates). */
  TrainConfig.Builder applyTo(TrainConfig.Builder builder, double rate) {
    return builder
        .learningRate(rate)
        .warmupSteps(warmup)
        .finalLrFraction(finalLr)
        .weightDecay(weightDecay)
        .betas(beta1, beta2);
  }
}
