package dev.emergence.nn;

import com.google.common.base.Preconditions;

/**
 * Shape of a nanoGPT-like decoder.
 *
 * @param vocab number of token ids
 * @param context longest sequence the model reads (rows of the position table)
 * @param layers distinct blocks in the stack
 * @param heads attention heads per block; must divide {@code dModel}
 * @param dModel width of the residual stream
 * @param mlpRatio hidden width of the MLP as a multiple of {@code dModel} (4 in GPT-2)
 * @param tied output head shares the token embedding table (no extra parameters)
 * @param loops how many times the stack of blocks is applied with shared weights (1 = plain model;
 *     {@code layers=1, loops=k} is one block applied k times)
 * @param dropout dropout probability during training (0 = off, the default of the study)
 */
public record GptConfig(
    int vocab,
    int context,
    int layers,
    int heads,
    int dModel,
    int mlpRatio,
    boolean tied,
    int loops,
    double dropout) {
  public GptConfig {
    Preconditions.checkArgument(vocab > 0, "vocabulary size must be positive, got %s", vocab);
    Preconditions.checkArgument(context > 0, "context length must be positive, got %s", context);
    Preconditions.checkArgument(layers > 0, "layers must be positive, got %s", layers);
    Preconditions.checkArgument(heads > 0, "heads must be positive, got %s", heads);
    Preconditions.checkArgument(dModel > 0, "d_model must be positive, got %s", dModel);
    Preconditions.checkArgument(
        dModel % heads == 0,
        "d_model %s is not divisible by heads %s: each head needs d_model / heads dimensions (try d_model %s)",
        dModel,
        heads,
        (dModel / heads + 1) * heads);
    Preconditions.checkArgument(mlpRatio > 0, "MLP ratio must be positive, got %s", mlpRatio);
    Preconditions.checkArgument(loops > 0, "loops must be positive, got %s", loops);
    Preconditions.checkArgument(
        dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got %s", dropout);
  }

  /** A plain model: MLP ratio 4, tied head, no loops, no dropout. */
  public static GptConfig of(int vocab, int context, int layers, int heads, int dModel) {
    return new GptConfig(vocab, context, layers, heads, dModel, 4, true, 1, 0.0);
  }

  public GptConfig withMlpRatio(int ratio) {
    return new GptConfig(vocab, context, layers, heads, dModel, ratio, tied, loops, dropout);
  }

  public GptConfig withTied(boolean tiedHead) {
    return new GptConfig(vocab, context, layers, heads, dModel, mlpRatio, tiedHead, loops, dropout);
  }

  public GptConfig withLoops(int k) {
    return new GptConfig(vocab, context, layers, heads, dModel, mlpRatio, tied, k, dropout);
  }

  public GptConfig withDropout(double p) {
    return new GptConfig(vocab, context, layers, heads, dModel, mlpRatio, tied, loops, p);
  }

  public int headSize() {
    return dModel / heads;
  }

  public int mlpHidden() {
    return mlpRatio * dModel;
  }

  /** Blocks applied in one forward pass: layers x loops. */
  public int applications() {
    return layers * loops;
  }

  /** Fails with a clear message when a sequence of this many tokens does not fit the context. */
  public void checkFits(int sequenceLength) {
    Preconditions.checkArgument(
        sequenceLength <= context,
        "context %s is shorter than the longest sequence (%s tokens): use a context of at least %s",
        context,
        sequenceLength,
        sequenceLength);
  }

  /**
   * Closed-form parameter count: embeddings {@code V d + T d}; per block two LayerNorms {@code 4d},
   * attention {@code d 3d + 3d + d d + d}, MLP {@code d m + m + m d + d} with {@code m = ratio d};
   * final LayerNorm {@code 2d}; an untied head adds {@code V d} (no bias).
   */
  public long parameterCount() {
    long d = dModel;
    long m = mlpHidden();
    long block = 4 * d + (3 * d * d + 3 * d) + (d * d + d) + (d * m + m) + (m * d + d);
    return (long) vocab * d
        + (long) context * d
        + layers * block
        + 2 * d
        + (tied ? 0 : (long) vocab * d);
  }

  /**
   * Training FLOPs of one step on {@code batch} sequences of {@code time} tokens: {@code 6 N} per
   * token for every parameter used in a matrix product (embeddings excluded, the head included),
   * plus attention's two [T x T] products, {@code 6 x 2 x T x d} per token and block application
   * (half of them are masked, but dense kernels compute them). LayerNorm, softmax and elementwise
   * ops are left out, as in the PaLM/Chinchilla accounting.
   */
  public double trainingFlops(int batch, int time) {
    long d = dModel;
    long m = mlpHidden();
    double matmulParams = applications() * (3.0 * d * d + d * d + 2.0 * d * m) + (double) vocab * d;
    double perToken = 6 * matmulParams + 6.0 * 2 * applications() * time * d;
    return perToken * batch * time;
  }

  /**
   * Training FLOPs of one answer-only step ({@link Selection}): every block application but the
   * last on all {@code batch x time} tokens as in {@link #trainingFlops}; the last one computes
   * keys and values ({@code 2 d^2}) at every token, and queries, output projection, MLP, head and
   * attention over {@code time} keys only at {@code perRow} positions of each row. Counted the same
   * way (6 per parameter and token, 12 T d per attended token).
   */
  public double answerOnlyTrainingFlops(int batch, int time, int perRow) {
    long d = dModel;
    long m = mlpHidden();
    double fullBlock = 3.0 * d * d + d * d + 2.0 * d * m;
    double everyToken =
        6 * ((applications() - 1) * fullBlock + 2.0 * d * d)
            + 12.0 * (applications() - 1) * time * d;
    double selected = 6 * (2.0 * d * d + 2.0 * d * m + (double) vocab * d) + 12.0 * time * d;
    return (double) batch * time * everyToken + (double) batch * perRow * selected;
  }
}
