package dev.emergence.train;

import com.google.common.base.Preconditions;
import dev.emergence.nn.Gpt;
import dev.emergence.nn.GptConfig;
import dev.emergence.nn.Pass;
import dev.emergence.nn.Selection;
import dev.emergence.optim.AdamW;
import dev.emergence.optim.AdamWConfig;
import dev.emergence.session.Feeds;
import dev.emergence.session.Fetched;
import dev.emergence.session.GraphSession;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The training graph of K GPTs of one shape ({@link Gpt}; K = 1 for a model trained alone). Each
 * step feeds rows {@code ids [K, B, L]} (member k's own batch in slice k), a learning rate per
 * member {@code [K]} and an {@code active} flag per member {@code [K]} (0 freezes a stopped
 * member). Inputs are {@code ids[:, :, :L-1]}, targets {@code ids[:, :, 1:]}; the loss of member k
 * is the mean token cross-entropy over the positions its mask marks, and the step ({@link AdamW})
 * minimizes the sum of the members' losses, so each member gets exactly its own gradient. Dropout,
 * when the config has it, acts in the training pass only, each member with its own seed.
 *
 * <p>Two loss forms. Full ({@code answerPositions == 0}): logits at every position, the mask {@code
 * [K, B, L]} fed as it is. Answer-only ({@code answerPositions = P > 0}): the mask is turned into
 * at most P positions per row ({@link #answerFeeds}) and the model computes the last block, head
 * and loss only there ({@link Selection}); same loss and gradients. Evaluation always takes the
 * answer-only path with one position per row ({@link #predictAt}): the first '=', or the end of a
 * chain being decoded.
 */
public final class TrainingGraph {
  private final GraphSession session;
  private final Gpt model;
  private final int models;
  private final int batch;
  private final int length;
  private final int answerPositions;
  private final int evalRows;
  public final Placeholder<TInt32> ids;
  public final Placeholder<TFloat32> mask;
  public final Placeholder<TInt32> positions;
  public final Placeholder<TInt32> targets;
  public final Placeholder<TFloat32> weights;
  public final Placeholder<TFloat32> learningRate;
  public final Placeholder<TFloat32> active;
  public final Operand<TFloat32> losses;
  public final Op step;
  public final AdamW optimizer;
  public final Placeholder<TInt32> evalIds;
  public final Placeholder<TInt32> evalPositions;
  public final Operand<TInt32> predictions;

  /**
   * @param answerPositions 0 for the full loss, else the most loss positions any row has (2 for the
   *     answer and {@code <end>} without chain of thought)
   * @param evalRows rows per member in one evaluation run
   */
  public TrainingGraph(
      GraphSession session,
      GptConfig config,
      long[] seeds,
      int batch,
      int length,
      AdamWConfig adam,
      int answerPositions,
      int evalRows) {
    config.checkFits(length - 1);
    Preconditions.checkArgument(
        answerPositions >= 0, "answer positions must be >= 0, got %s", answerPositions);
    this.session = session;
    this.models = seeds.length;
    this.batch = batch;
    this.length = length;
    this.answerPositions = answerPositions;
    this.evalRows = evalRows;
    Ops tf = session.tf();
    this.model = new Gpt(tf, config, seeds);
    int k = models;
    int t = length - 1;
    int v = config.vocab();
    ids =
        tf.withName("train.ids")
            .placeholder(TInt32.class, Placeholder.shape(Shape.of(k, batch, length)));
    learningRate =
        tf.withName("train.lr").placeholder(TFloat32.class, Placeholder.shape(Shape.of(k)));
    active =
        tf.withName("train.active").placeholder(TFloat32.class, Placeholder.shape(Shape.of(k)));
    Operand<TInt32> inputs =
        tf.slice(ids, tf.constant(new int[] {0, 0, 0}), tf.constant(new int[] {k, batch, t}));
    Operand<TFloat32> logits;
    Operand<TInt32> labels;
    Operand<TFloat32> weightRows;
    int rows;
    if (answerPositions == 0) {
      mask =
          tf.withName("train.mask")
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(k, batch, length)));
      positions = null;
      targets = null;
      weights = null;
      rows = batch * t;
      logits =
          model.forward(
              Pass.of(tf, k, batch, t).withDropout(config.dropout(), seeds), inputs, null, null);
      labels =
          tf.slice(ids, tf.constant(new int[] {0, 0, 1}), tf.constant(new int[] {k, batch, t}));
      weightRows =
          tf.slice(mask, tf.constant(new int[] {0, 0, 0}), tf.constant(new int[] {k, batch, t}));
    } else {
      mask = null;
      int p = answerPositions;
      positions =
          tf.withName("train.positions")
              .placeholder(TInt32.class, Placeholder.shape(Shape.of(k, batch, p)));
      targets =
          tf.withName("train.targets")
              .placeholder(TInt32.class, Placeholder.shape(Shape.of(k, batch, p)));
      weights =
          tf.withName("train.weights")
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(k, batch, p)));
      rows = batch * p;
      logits =
          model.forward(
              Pass.of(tf, k, batch, t)
                  .withDropout(config.dropout(), seeds)
                  .at(new Selection(positions, p)),
              inputs,
              null,
              null);
      labels = targets;
      weightRows = weights;
    }
    Operand<TFloat32> flatLogits = tf.reshape(logits, tf.constant(new int[] {k * rows, v}));
    Operand<TInt32> flatLabels = tf.reshape(labels, tf.constant(new int[] {-1}));
    Operand<TFloat32> w = tf.reshape(weightRows, tf.constant(new int[] {k, rows}));
    Operand<TFloat32> tokenLoss =
        tf.reshape(
            tf.nn.sparseSoftmaxCrossEntropyWithLogits(flatLogits, flatLabels).loss(),
            tf.constant(new int[] {k, rows}));
    Operand<TFloat32> count = tf.math.maximum(tf.reduceSum(w, tf.constant(1)), tf.constant(1f));
    losses =
        tf.withName("train.losses")
            .math
            .div(tf.reduceSum(tf.math.mul(tokenLoss, w), tf.constant(1)), count); // [K]
    Operand<TFloat32> total = tf.withName("train.loss").reduceSum(losses, tf.constant(0));
    optimizer = new AdamW(adam, k, active);
    step = optimizer.minimize(session, total, model.variables(), learningRate);

    evalIds =
        tf.withName("eval.ids")
            .placeholder(TInt32.class, Placeholder.shape(Shape.of(k, evalRows, t)));
    evalPositions =
        tf.withName("eval.positions")
            .placeholder(TInt32.class, Placeholder.shape(Shape.of(k, evalRows, 1)));
    Operand<TFloat32> evalLogits =
        model.forward(
            Pass.of(tf, k, evalRows, t).at(new Selection(evalPositions, 1)),
            evalIds,
            null,
            null); // [K, E, V]
    predictions =
        tf.withName("eval.predictions")
            .math
            .argMax(evalLogits, tf.constant(-1), TInt32.class); // [K, E]
  }

  public Gpt model() {
    return model;
  }

  public GptConfig config() {
    return model.config();
  }

  public int models() {
    return models;
  }

  public int batch() {
    return batch;
  }

  public int length() {
    return length;
  }

  public int evalRows() {
    return evalRows;
  }

  /**
   * The feeds of one step: rows {@code ids} and loss mask {@code mask} ({@code [K, B, L]}, as
   * {@link ListOpsTask#trainBatch} per member), learning rates and active flags {@code [K]}. On the
   * answer-only path the mask becomes positions, targets and weights.
   */
  public Feeds trainFeeds(int[] rows, float[] lossMask, float[] lr, float[] activeFlags) {
    int k = models;
    Feeds feeds =
        Feeds.of()
            .ints(ids, rows, k, batch, length)
            .floats(learningRate, lr, k)
            .floats(active, activeFlags, k);
    if (answerPositions == 0) {
      return feeds.floats(mask, lossMask, k, batch, length);
    }
    AnswerFeed a = answerFeeds(rows, lossMask, k * batch, length, answerPositions);
    return feeds
        .ints(positions, a.positions(), k, batch, answerPositions)
        .ints(targets, a.targets(), k, batch, answerPositions)
        .floats(weights, a.weights(), k, batch, answerPositions);
  }

  /**
   * The answer-only form of a loss mask: per row, its positions (padded with weight 0), targets and
   * weights.
   */
  // Arrays by design: flat primitive arrays are the tensor buffers fed to TensorFlow.
  @SuppressWarnings("ArrayRecordComponent")
  public record AnswerFeed(int[] positions, int[] targets, float[] weights) {}

  /**
   * Positions t (of the {@code length - 1} inputs) where the mask is nonzero, the next token as
   * target and the mask as weight, {@code perRow} per row; unused slots point at position 0 with
   * weight 0.
   */
  public static AnswerFeed answerFeeds(
      int[] rows, float[] lossMask, int rowCount, int length, int perRow) {
    int[] pos = new int[rowCount * perRow];
    int[] tgt = new int[rowCount * perRow];
    float[] wts = new float[rowCount * perRow];
    for (int r = 0; r < rowCount; r++) {
      int n = 0;
      for (int t = 0; t + 1 < length; t++) {
        float m = lossMask[r * length + t];
        if (m != 0) {
          Preconditions.checkArgument(
              n < perRow,
              "row %s has more than %s loss positions: the answer-only path needs the loss on at most %s positions per row",
              r,
              perRow,
              perRow);
          pos[r * perRow + n] = t;
          tgt[r * perRow + n] = rows[r * length + t + 1];
          wts[r * perRow + n] = m;
          n++;
        }
      }
    }
    return new AnswerFeed(pos, tgt, wts);
  }

  /** Runs one step; returns the members' losses when {@code fetch}, else null. */
  public float[] trainStep(
      int[] rows, float[] lossMask, float[] lr, float[] activeFlags, boolean fetch) {
    Feeds feeds = trainFeeds(rows, lossMask, lr, activeFlags);
    if (!fetch) {
      session.run(feeds, List.of(), step);
      return null;
    }
    return session.run(feeds, List.of(losses), step).floats(losses);
  }

  /** Member m's current weights by variable name, in the member's own shapes (one session run). */
  public Map<String, float[]> weights(int member) {
    Fetched values = session.run(Feeds.of(), model.variables());
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Variable<TFloat32> v : model.variables()) {
      float[] all = values.floats(v);
      int size = all.length / models;
      out.put(v.op().name(), Arrays.copyOfRange(all, member * size, (member + 1) * size));
    }
    return out;
  }

  /**
   * Greedy predictions {@code [K, E]} at one position per row for inputs {@code [K, E, length -
   * 1]}.
   */
  public int[] predictAt(int[] inputs, int[] at) {
    int t = length - 1;
    Fetched f =
        session.run(
            Feeds.of()
                .ints(evalIds, inputs, models, evalRows, t)
                .ints(evalPositions, at, models, evalRows, 1),
            List.of(predictions));
    return f.ints(predictions);
  }
}
