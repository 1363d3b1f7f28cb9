package dev.emergence.experiments;

import dev.emergence.nn.GptConfig;
import picocli.CommandLine.Option;

/**
 * The shape of a GPT: mix into a command with {@code @Mixin GptShapeOptions shape = new
 * GptShapeOptions(defaults)}. Each command keeps its own defaults (train: the capacity study's
 * {@link dev.emergence.train.Trainer#defaultModel}, bench: its throughput shape), shown by --help.
 */
public final class GptShapeOptions {
  @Option(
      names = "--d-model",
      description = "Width of the residual stream (default: ${DEFAULT-VALUE}).")
  int dModel;

  @Option(names = "--layers", description = "Distinct blocks (default: ${DEFAULT-VALUE}).")
  int layers;

  @Option(names = "--heads", description = "Attention heads (default: ${DEFAULT-VALUE}).")
  int heads;

  @Option(
      names = "--mlp-ratio",
      description = "MLP hidden width / d_model (default: ${DEFAULT-VALUE}).")
  int mlpRatio;

  @Option(
      names = "--loops",
      description =
          "Apply the block stack this many times with shared weights (default: ${DEFAULT-VALUE}).")
  int loops;

  @Option(names = "--untied", description = "Own output head instead of the tied token embedding.")
  boolean untied;

  @Option(names = "--dropout", description = "Dropout probability (default: ${DEFAULT-VALUE}).")
  double dropout;

  @Option(
      names = "--context",
      description = "Context length (default: the length of the rows the model reads).")
  Integer context;

  /**
   * Options whose defaults are {@code defaults}' shape (its vocabulary and context are not options
   * here).
   */
  GptShapeOptions(GptConfig defaults) {
    dModel = defaults.dModel();
    layers = defaults.layers();
    heads = defaults.heads();
    mlpRatio = defaults.mlpRatio();
    loops = defaults.loops();
    untied = !defaults.tied();
    dropout = defaults.dropout();
  }

  /** The model for {@code vocab} tokens; its context is --context, else {@code rowLength}. */
  GptConfig config(int vocab, int rowLength) {
    return new GptConfig(
        vocab,
        context == null ? rowLength : context,
        layers,
        heads,
        dModel,
        mlpRatio,
        !untied,
        loops,
        dropout);
  }
}
