package dev.emergence.experiments;

import dev.emergence.train.TrainConfig;
import picocli.CommandLine.Option;

/** AdamW and its learning-rate schedule; the defaults are {@link TrainConfig#defaults()}'. */
public final class OptimizerOptions {
  private static final TrainConfig DEFAULTS = TrainConfig.defaults();

  @Option(names = "--lr", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  double lr = DEFAULTS.learningRate();

  @Option(names = "--warmup", description = "Linear warmup steps (default: ${DEFAULT-VALUE}).")
  int warmup = DEFAULTS.warmupSteps();

  @Option(names = "--final-lr", description = "Cosine ends at this fraction of the peak (default: ${DEFAULT-VALUE}).")
  double finalLr = DEFAULTS.finalLrFraction();

  @Option(names = "--weight-decay", description = "AdamW decay on matrices (default: ${DEFAULT-VALUE}).")
  double weightDecay = DEFAULTS.weightDecay();

  @Option(names = "--beta1", description = "AdamW beta1 (default: ${DEFAULT-VALUE}).")
  double beta1 = DEFAULTS.beta1();

  @Option(names = "--beta2", description = "AdamW beta2 (default: ${DEFAULT-VALUE}).")
  double beta2 = DEFAULTS.beta2();

  TrainConfig.Builder applyTo(TrainConfig.Builder builder) {
    return builder.learningRate(lr).warmupSteps(warmup).finalLrFraction(finalLr).weightDecay(weightDecay).betas(beta1, beta2);
  }
}
