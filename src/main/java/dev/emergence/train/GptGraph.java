package dev.emergence.train;

import dev.emergence.nn.Gpt;
import dev.emergence.nn.GptConfig;
import dev.emergence.nn.Pass;
import dev.emergence.optim.AdamWConfig;
import dev.emergence.optim.FusedAdamW;
import dev.emergence.session.Feeds;
import dev.emergence.session.GraphSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.math.ArgMax;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The graph of a GPT trained as a language model on fixed-length rows, with everything an export
 * needs. Training: rows {@code ids [batch, length]} and a loss mask {@code [batch, length]} are fed;
 * inputs are {@code ids[:, :length-1]}, targets {@code ids[:, 1:]}, and the loss is the mean token
 * cross-entropy where the mask (aligned with the inputs) is 1. Inference (a second pass over the same
 * variables, no dropout): {@code input [batch, time]} of any size up to the context, optional gates.
 *
 * <p>Tensor names of the inference pass: {@code input} (int32 [b, t]), {@code attn_gates} and {@code
 * mlp_gates} (float [layers x loops], default all ones), {@code logits} (float [b, t, vocab]), {@code
 * predictions} (int32 argmax [b, t]) and {@code probe.*} (see {@link #probes()}).
 */
public final class GptGraph {
  public static final String SERVING = "serving_default";
  public static final String PROBE = "probe";
  public static final String ABLATE = "ablate";

  private final GraphSession session;
  private final Gpt model;
  private final int batch;
  private final int length;
  public final Placeholder<TInt32> ids;
  public final Placeholder<TFloat32> mask;
  public final Placeholder<TFloat32> learningRate;
  public final Operand<TFloat32> loss;
  public final Op step;
  public final Placeholder<TInt32> input;
  public final PlaceholderWithDefault<TFloat32> attnGates;
  public final PlaceholderWithDefault<TFloat32> mlpGates;
  public final Operand<TFloat32> logits;
  public final Operand<TInt32> predictions;
  private final Map<String, Operand<TFloat32>> probes;

  public GptGraph(GraphSession session, GptConfig config, int batch, int length, AdamWConfig adam, long seed) {
    config.checkFits(length - 1);
    this.session = session;
    this.batch = batch;
    this.length = length;
    Ops tf = session.tf();
    this.model = Gpt.member(tf, config, seed);

    ids = tf.withName("train.ids").placeholder(TInt32.class, Placeholder.shape(Shape.of(batch, length)));
    mask = tf.withName("train.mask").placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, length)));
    learningRate = tf.withName("train.lr").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    int t = length - 1;
    Operand<TInt32> inputs = tf.slice(ids, tf.constant(new int[] {0, 0}), tf.constant(new int[] {batch, t})); // [b, t]
    Operand<TInt32> targets = // [b, t] shifted by one -> [b*t]
        tf.reshape(tf.slice(ids, tf.constant(new int[] {0, 1}), tf.constant(new int[] {batch, t})), tf.constant(new int[] {-1}));
    Operand<TFloat32> weights = // [b, t] -> [b*t]
        tf.reshape(tf.slice(mask, tf.constant(new int[] {0, 0}), tf.constant(new int[] {batch, t})), tf.constant(new int[] {-1}));
    Pass training = Pass.of(tf, 1, batch, t).withDropout(config.dropout(), new long[] {seed});
    Operand<TFloat32> rows = // [1, b*t, vocab] -> [b*t, vocab]
        tf.reshape(model.forward(training, tf.expandDims(inputs, tf.constant(0)), null, null), tf.constant(new int[] {-1, config.vocab()}));
    Operand<TFloat32> tokenLoss = tf.nn.sparseSoftmaxCrossEntropyWithLogits(rows, targets).loss(); // [b*t]
    Operand<TFloat32> count = tf.math.maximum(tf.reduceSum(weights, tf.constant(0)), tf.constant(1f));
    loss = tf.withName("train.loss").math.div(tf.reduceSum(tf.math.mul(tokenLoss, weights), tf.constant(0)), count);
    step = new FusedAdamW(adam).minimize(session, loss, model.variables(), learningRate);

    int n = config.applications();
    input = tf.withName("input").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
    attnGates = tf.withName("attn_gates").placeholderWithDefault(tf.fill(tf.constant(new int[] {n}), tf.constant(1f)), Shape.of(n));
    mlpGates = tf.withName("mlp_gates").placeholderWithDefault(tf.fill(tf.constant(new int[] {n}), tf.constant(1f)), Shape.of(n));
    Operand<TInt32> one = tf.expandDims(input, tf.constant(0)); // [1, b, t]
    Pass probe = Pass.of(tf, 1, one).probing();
    Operand<TFloat32> inferenceRows = // [1, b*t, vocab]
        model.forward(probe, one, tf.expandDims(attnGates, tf.constant(0)), tf.expandDims(mlpGates, tf.constant(0)));
    Operand<TInt32> shape = tf.concat(List.of(tf.shape(input), tf.constant(new int[] {config.vocab()})), tf.constant(0));
    logits = tf.withName("logits").reshape(inferenceRows, shape); // [b, t, vocab]
    predictions = tf.withName("predictions").math.argMax(logits, tf.constant(-1), TInt32.class); // [b, t]
    probes = new LinkedHashMap<>();
    probe.probes().forEach((name, value) -> probes.put(name, tf.withName("probe." + name).squeeze(value, Squeeze.axis(List.of(0L)))));
  }

  public Gpt model() {
    return model;
  }

  public GptConfig config() {
    return model.config();
  }

  public int batch() {
    return batch;
  }

  /** Tokens per training row (the model reads length - 1 of them). */
  public int length() {
    return length;
  }

  /** Probe tensors by name: {@code wte}, {@code embedded}, and per block application i {@code h<i>.*}. */
  public Map<String, Operand<TFloat32>> probes() {
    return probes;
  }

  /** One training step; returns the loss when {@code fetchLoss}, else NaN (saves a fetch). */
  public float trainStep(int[] rows, float[] lossMask, double lr, boolean fetchLoss) {
    Feeds feeds = trainFeeds(rows, lossMask, lr);
    if (!fetchLoss) {
      session.run(feeds, List.of(), step);
      return Float.NaN;
    }
    return session.run(feeds, List.of(loss), step).scalar(loss);
  }

  /** The feeds of one training step ({@link #step}): rows and loss mask {@code [batch, length]}, the learning rate. */
  public Feeds trainFeeds(int[] rows, float[] lossMask, double lr) {
    return Feeds.of().ints(ids, rows, batch, length).floats(mask, lossMask, batch, length).scalar(learningRate, (float) lr);
  }

  /** Logits {@code [b, t, vocab]} of the inference pass for ids {@code [b, t]}. */
  public float[] logits(int[] tokens, int b, int t) {
    return session.run(Feeds.of().ints(input, tokens, b, t), List.of(logits)).floats(logits);
  }

  /** Greedy next-token predictions {@code [b, t]} for ids {@code [b, t]}. */
  public int[] predict(int[] tokens, int b, int t) {
    return session.run(Feeds.of().ints(input, tokens, b, t), List.of(predictions)).ints(predictions);
  }

  /** serving_default (input -> logits), probe (input -> logits and every probe), ablate (input, gates -> logits). */
  public List<Signature> signatures() {
    List<Signature> out = new ArrayList<>();
    out.add(Signature.builder().key(SERVING).input("input", input).output("logits", logits).build());
    Signature.Builder probe = Signature.builder().key(PROBE).input("input", input).output("logits", logits);
    probes.forEach(probe::output);
    out.add(probe.build());
    out.add(
        Signature.builder()
            .key(ABLATE)
            .input("input", input)
            .input("attn_gates", attnGates)
            .input("mlp_gates", mlpGates)
            .output("logits", logits)
            .build());
    return out;
  }
}
