package dev.emergence.train;

import com.google.common.base.Preconditions;
import dev.emergence.nn.Gpt;
import dev.emergence.nn.GptConfig;
import dev.emergence.nn.Pass;
import dev.emergence.report.AtomicFiles;
import dev.emergence.session.Feeds;
import dev.emergence.session.Fetched;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One trained model as a SavedModel serves it, in a session of its own: the model's variables in
 * their own shapes and names ({@link Gpt#member}), and an inference pass over {@code input [b, t]}
 * of any size up to the context, with optional gates and every probe. Its weights come from a
 * member of any stack ({@link Trainer#serving}).
 *
 * <p>Tensor names: {@code input} (int32 [b, t]), {@code attn_gates} and {@code mlp_gates} (float
 * [layers x loops], default all ones), {@code logits} (float [b, t, vocab]), {@code predictions}
 * (int32 argmax [b, t]) and {@code probe.*} (see {@link #probes()}).
 */
public final class ServingGraph implements AutoCloseable {
  public static final String SERVING = "serving_default";
  public static final String PROBE = "probe";
  public static final String ABLATE = "ablate";

  private final GraphSession session;
  private final Gpt model;
  public final Placeholder<TInt32> input;
  public final PlaceholderWithDefault<TFloat32> attnGates;
  public final PlaceholderWithDefault<TFloat32> mlpGates;
  public final Operand<TFloat32> logits;
  public final Operand<TInt32> predictions;
  private final Map<String, Operand<TFloat32>> probes = new LinkedHashMap<>();

  /** The model of {@code seed} with its initial weights. */
  public ServingGraph(SessionConfig sessionConfig, GptConfig config, long seed) {
    this.session = new GraphSession(sessionConfig);
    Ops tf = session.tf();
    this.model = Gpt.member(tf, config, seed);
    int n = config.applications();
    input = tf.withName("input").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
    attnGates =
        tf.withName("attn_gates")
            .placeholderWithDefault(
                tf.fill(tf.constant(new int[] {n}), tf.constant(1f)), Shape.of(n));
    mlpGates =
        tf.withName("mlp_gates")
            .placeholderWithDefault(
                tf.fill(tf.constant(new int[] {n}), tf.constant(1f)), Shape.of(n));
    Operand<TInt32> ids = tf.expandDims(input, tf.constant(0)); // [1, b, t]
    Pass pass = Pass.of(tf, 1, ids).probing();
    Operand<TFloat32> rows = // [1, b*t, vocab]
        model.forward(
            pass,
            ids,
            tf.expandDims(attnGates, tf.constant(0)),
            tf.expandDims(mlpGates, tf.constant(0)));
    Operand<TInt32> shape =
        tf.concat(
            List.of(tf.shape(input), tf.constant(new int[] {config.vocab()})), tf.constant(0));
    logits = tf.withName("logits").reshape(rows, shape); // [b, t, vocab]
    predictions =
        tf.withName("predictions").math.argMax(logits, tf.constant(-1), TInt32.class); // [b, t]
    pass.probes()
        .forEach(
            (name, value) ->
                probes.put(
                    name, tf.withName("probe." + name).squeeze(value, Squeeze.axis(List.of(0L)))));
  }

  /**
   * The model of {@code seed} holding {@code weights} (every variable by name, in its own shape).
   */
  public static ServingGraph of(
      SessionConfig sessionConfig, GptConfig config, long seed, Map<String, float[]> weights) {
    ServingGraph graph = new ServingGraph(sessionConfig, config, seed);
    try {
      graph.load(weights);
      return graph;
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  public GraphSession session() {
    return session;
  }

  public Gpt model() {
    return model;
  }

  public GptConfig config() {
    return model.config();
  }

  /**
   * Probe tensors by name: {@code wte}, {@code embedded}, and per block application i {@code
   * h<i>.*}.
   */
  public Map<String, Operand<TFloat32>> probes() {
    return probes;
  }

  /** Logits {@code [b, t, vocab]} for ids {@code [b, t]}. */
  public float[] logits(int[] tokens, int b, int t) {
    return session.run(Feeds.of().ints(input, tokens, b, t), List.of(logits)).floats(logits);
  }

  /** Greedy next-token predictions {@code [b, t]} for ids {@code [b, t]}. */
  public int[] predict(int[] tokens, int b, int t) {
    return session
        .run(Feeds.of().ints(input, tokens, b, t), List.of(predictions))
        .ints(predictions);
  }

  /** The model's current weights by variable name. */
  public Map<String, float[]> weights() {
    Fetched values = session.run(Feeds.of(), model.variables());
    Map<String, float[]> out = new LinkedHashMap<>();
    model.variables().forEach(v -> out.put(v.op().name(), values.floats(v)));
    return out;
  }

  /**
   * Sets every variable to {@code weights} (by name, in its own shape). The values travel through a
   * TensorFlow checkpoint written by a throwaway graph, so this graph gets no extra ops: its
   * SavedModel holds only the model and its signatures.
   */
  public void load(Map<String, float[]> weights) {
    try {
      Path dir = Files.createTempDirectory("weights-");
      try (GraphSession carrier = new GraphSession(session.config())) {
        Ops tf = carrier.tf();
        for (Variable<TFloat32> v : model.variables()) {
          String name = v.op().name();
          float[] values = weights.get(name);
          Preconditions.checkArgument(values != null, "no weights given for %s", name);
          Preconditions.checkArgument(
              values.length == v.shape().size(),
              "%s: %s values for shape %s",
              name,
              values.length,
              v.shape());
          tf.withName(name).variable(tf.constant(v.shape(), DataBuffers.of(values, true, false)));
        }
        carrier.session().initialize();
        carrier.save(dir.resolve("weights").toString());
        session.restore(dir.resolve("weights").toString());
      } finally {
        AtomicFiles.deleteRecursively(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot load weights into a serving graph: " + e.getMessage(), e);
    }
  }

  /**
   * serving_default (input -> logits), probe (input -> logits and every probe), ablate (input,
   * gates -> logits).
   */
  public List<Signature> signatures() {
    List<Signature> out = new ArrayList<>();
    out.add(
        Signature.builder().key(SERVING).input("input", input).output("logits", logits).build());
    Signature.Builder probe =
        Signature.builder().key(PROBE).input("input", input).output("logits", logits);
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

  @Override
  public void close() {
    session.close();
  }
}
