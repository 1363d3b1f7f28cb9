package dev.emergence.probe;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.base.Preconditions;
import dev.emergence.listops.Arity;
import dev.emergence.listops.Composition;
import dev.emergence.listops.DatasetBuilder;
import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.Domain;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.ListOperator;
import dev.emergence.listops.Mix;
import dev.emergence.listops.Split;
import dev.emergence.listops.Vocabulary;
import dev.emergence.nn.GptConfig;
import dev.emergence.report.Json;
import dev.emergence.session.SessionConfig;
import dev.emergence.train.GptExport;
import dev.emergence.train.ListOpsTask;
import dev.emergence.train.ModelExport;
import dev.emergence.train.ServingGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A transformer export opened for probing in its own process: the SavedModel (its {@code probe} and
 * {@code ablate} signatures) and what {@code assets.extra/} says about it: the vocabulary, the task
 * (from which the test expressions are rebuilt) and the model config. Every check happens in {@link
 * #open}, so a command can refuse a bad directory before it writes anything.
 */
public final class ExportedModel implements AutoCloseable {
  private static final ObjectMapper LENIENT =
      Json.mapper().copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Path dir;
  private final SavedModelBundle bundle;
  private final GptExport.VocabularyAsset vocabulary;
  private final ListOpsTask.Description task;
  private final GptConfig config;

  private ExportedModel(
      Path dir,
      SavedModelBundle bundle,
      GptExport.VocabularyAsset vocabulary,
      ListOpsTask.Description task,
      GptConfig config) {
    this.dir = dir;
    this.bundle = bundle;
    this.vocabulary = vocabulary;
    this.task = task;
    this.config = config;
  }

  /**
   * Opens an export. A directory that is not a SavedModel, an export without the {@code probe} or
   * {@code ablate} signature, or one without its {@code assets.extra} files fails with one {@link
   * IllegalArgumentException} line.
   */
  public static ExportedModel open(Path dir, SessionConfig session) {
    Preconditions.checkArgument(Files.isDirectory(dir), "--model %s: no such directory", dir);
    Preconditions.checkArgument(
        Files.isRegularFile(dir.resolve("saved_model.pb")),
        "%s is not a SavedModel (no saved_model.pb); pass a directory written by train --export",
        dir);
    SavedModelBundle bundle;
    try {
      ConfigProto proto =
          ConfigProto.newBuilder()
              .setIntraOpParallelismThreads(session.intraOpThreads())
              .setInterOpParallelismThreads(session.interOpThreads())
              .build();
      bundle =
          SavedModelBundle.loader(dir.toString())
              .withTags(SavedModelBundle.DEFAULT_TAG)
              .withConfigProto(proto)
              .load();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot load the SavedModel at " + dir + ": " + firstLine(e), e);
    }
    try {
      TreeSet<String> keys = new TreeSet<>();
      for (Signature s : bundle.signatures()) {
        keys.add(s.key());
      }
      for (String needed : List.of(ServingGraph.PROBE, ServingGraph.ABLATE)) {
        Preconditions.checkArgument(
            keys.contains(needed),
            "SavedModel %s has no '%s' signature (it has %s); probe needs an export of this project's transformer (train --export)",
            dir,
            needed,
            keys);
      }
      GptExport.VocabularyAsset vocabulary =
          readJson(
              dir,
              GptExport.VOCABULARY,
              node -> LENIENT.treeToValue(node, GptExport.VocabularyAsset.class));
      JsonNode taskNode = readJson(dir, GptExport.TASK, node -> node);
      Preconditions.checkArgument(
          taskNode.has("model"),
          "%s/%s/%s has no model config",
          dir,
          ModelExport.EXTRA_DIR,
          GptExport.TASK);
      GptConfig config = LENIENT.treeToValue(taskNode.get("model"), GptConfig.class);
      ObjectNode rest = ((ObjectNode) taskNode).deepCopy();
      rest.remove(List.of("model", "signatures"));
      ListOpsTask.Description task = LENIENT.treeToValue(rest, ListOpsTask.Description.class);
      Preconditions.checkArgument(
          java.util.Objects.equals(vocabulary.modulus(), task.modulus())
              && java.util.Objects.equals(vocabulary.group(), task.group())
              && vocabulary.tokens().size() == config.vocab(),
          "%s: vocabulary.json (modulus %s, %s tokens) does not match task.json (modulus %s, vocab %s)",
          dir,
          vocabulary.modulus(),
          vocabulary.tokens().size(),
          task.modulus(),
          config.vocab());
      return new ExportedModel(dir, bundle, vocabulary, task, config);
    } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
      bundle.close();
      if (e instanceof IllegalArgumentException iae) {
        throw iae;
      }
      throw new IllegalArgumentException(
          "cannot read the assets of " + dir + ": " + firstLine(e), e);
    }
  }

  private interface NodeReader<T> {
    T read(JsonNode node) throws com.fasterxml.jackson.core.JsonProcessingException;
  }

  private static <T> T readJson(Path dir, String name, NodeReader<T> reader)
      throws com.fasterxml.jackson.core.JsonProcessingException {
    String text = ModelExport.readExtra(dir, name);
    return reader.read(LENIENT.readTree(text));
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  public Path dir() {
    return dir;
  }

  public GptExport.VocabularyAsset vocabulary() {
    return vocabulary;
  }

  public ListOpsTask.Description task() {
    return task;
  }

  public GptConfig config() {
    return config;
  }

  /** The token ids the model reads and writes: those of its task's domain. */
  public Vocabulary vocab() {
    return new Vocabulary(generator().domain());
  }

  /** Block applications of one forward pass (layers x loops): the keys {@code layer_0 ..}. */
  public int applications() {
    return config.applications();
  }

  /** The generator the model was trained on. */
  public GeneratorConfig generator() {
    Domain domain = task.domain();
    return new GeneratorConfig(
        domain,
        task.depth(),
        Arity.parse(task.arity()),
        task.leafProbability(),
        Composition.parse(task.composition()),
        Mix.parse(task.tasks(), domain));
  }

  /**
   * The first {@code perOperator} examples of each operator's test set, rebuilt from task.json (the
   * same expressions training held out: held-out sets depend only on the seed, operator and shape).
   */
  public Map<ListOperator, Split> testSplits(int perOperator) {
    GeneratorConfig generator = generator();
    int size = Math.min(perOperator, task.testSizePerOperator());
    Map<ListOperator, Split> test =
        DatasetBuilder.build(generator, new DatasetSpec(0, 0, size), task.dataSeed()).testSets();
    Map<ListOperator, Split> ordered = new LinkedHashMap<>();
    for (ListOperator op : generator.tasks().operators()) {
      ordered.put(op, test.get(op));
    }
    return ordered;
  }

  /** A fetched float tensor: its shape and values. */
  // Arrays by design: a fetched tensor's shape and flat values, as TensorFlow gives them.
  @SuppressWarnings("ArrayRecordComponent")
  public record Array(long[] shape, float[] data) {}

  /** Runs the {@code probe} signature on ids {@code [b, t]} and returns the named outputs. */
  public Map<String, Array> probe(int[] ids, int b, int t, List<String> names) {
    Map<String, Array> out = new HashMap<>();
    try (TInt32 input = TInt32.tensorOf(Shape.of(b, t), DataBuffers.of(ids, true, false));
        Result result = bundle.function(ServingGraph.PROBE).call(Map.of("input", input))) {
      for (String name : names) {
        Tensor tensor =
            result
                .get(name)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "the probe signature of " + dir + " has no output " + name));
        out.put(name, new Array(tensor.shape().asArray(), floats(tensor)));
      }
    }
    return out;
  }

  /** The token embedding table {@code [vocab, d]} as rows. */
  public float[][] tokenTable() {
    Array wte = probe(new int[] {0}, 1, 1, List.of("wte")).get("wte");
    int d = (int) wte.shape()[1];
    float[][] rows = new float[(int) wte.shape()[0]][d];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(wte.data(), i * d, rows[i], 0, d);
    }
    return rows;
  }

  /**
   * Greedy next tokens {@code [b, t]} through the {@code ablate} signature: each block
   * application's attention and MLP output scaled by its gate (all ones: the intact model).
   */
  public int[] argmax(int[] ids, int b, int t, float[] attnGates, float[] mlpGates) {
    try (TInt32 input = TInt32.tensorOf(Shape.of(b, t), DataBuffers.of(ids, true, false));
        TFloat32 attn = TFloat32.vectorOf(attnGates);
        TFloat32 mlp = TFloat32.vectorOf(mlpGates);
        Result result =
            bundle
                .function(ServingGraph.ABLATE)
                .call(Map.of("input", input, "attn_gates", attn, "mlp_gates", mlp))) {
      float[] logits = floats(result.get("logits").orElseThrow());
      int v = logits.length / (b * t);
      int[] out = new int[b * t];
      for (int r = 0; r < b * t; r++) {
        int best = 0;
        for (int k = 1; k < v; k++) {
          if (logits[r * v + k] > logits[r * v + best]) {
            best = k;
          }
        }
        out[r] = best;
      }
      return out;
    }
  }

  /** All-ones gates: the intact model. */
  public float[] ones() {
    float[] g = new float[applications()];
    java.util.Arrays.fill(g, 1f);
    return g;
  }

  private static float[] floats(Tensor tensor) {
    TFloat32 t = (TFloat32) tensor;
    float[] out = new float[(int) t.shape().size()];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  @Override
  public void close() {
    bundle.close();
  }
}
