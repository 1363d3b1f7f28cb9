package dev.emergence.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.nn.GptConfig;
import dev.emergence.report.Json;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import dev.emergence.testing.ChildJvm;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

class GptExportTest {
  private static final int VOCAB = 21;
  private static final int B = 3;
  private static final int T = 9;

  /**
   * Any member of any stack exports as the same SavedModel: a fresh JVM loads member K-1's export
   * with plain SavedModelBundle.load and gets the logits of the member served in this process, bit
   * for bit.
   */
  @ParameterizedTest(name = "K = {0}")
  @ValueSource(ints = {1, 3})
  void exportReloadsInAFreshProcessWithIdenticalLogits(int k, @TempDir Path dir) throws Exception {
    List<Trainer.Member> members = TrainerTest.members(k);
    ListOpsTask task = members.get(k - 1).task();
    int[] ids = Arrays.copyOf(task.encode(task.test().values().iterator().next()).ids(), B * T);
    float[] expected;
    Path export = dir.resolve("model");
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Trainer trainer =
          new Trainer(s, TrainerTest.model(members), TrainerTest.training(20), members);
      trainer.run((m, line) -> {}, false);
      try (ServingGraph served = trainer.serving(k - 1)) {
        expected = served.logits(ids, B, T);
      }
      GptExport.export(trainer, k - 1, export, false);
    }
    Path input = dir.resolve("ids.bin");
    Path output = dir.resolve("logits.bin");
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(input))) {
      for (int id : ids) {
        out.writeInt(id);
      }
    }
    ChildJvm.Outcome child =
        ChildJvm.run(
            Child.class,
            List.of(),
            List.of(export.toString(), input.toString(), output.toString()),
            Duration.ofMinutes(3));
    assertEquals(0, child.exitCode(), "child process failed:\n" + child.output());
    float[] actual = new float[expected.length];
    try (DataInputStream in = new DataInputStream(Files.newInputStream(output))) {
      for (int i = 0; i < actual.length; i++) {
        actual[i] = in.readFloat();
      }
    }
    assertArrayEquals(expected, actual, "serving_default logits in a fresh process");
    assertEquals(
        task.description().tasks(),
        Json.mapper()
            .readTree(ModelExport.readExtra(export, GptExport.TASK))
            .get("tasks")
            .asText());
    try (SavedModelBundle bundle = ModelExport.load(export)) {
      assertTrue(
          bundle.graph().operation("wte") != null
              && bundle.graph().operation("h0.attn.qkv.w") != null,
          "the model's variable names");
      assertArrayEquals(
          new long[] {task.vocab(), 16},
          bundle.graph().operation("wte").output(0).shape().asArray(),
          "in the model's own shapes");
      assertNull(bundle.graph().operation("train.active"), "no trace of the training graph");
    }
  }

  /**
   * Member m of a stack of three, exported, predicts as the model trained alone with its seed, rate
   * and task.
   */
  @Test
  void exportedMemberPredictsLikeTheModelTrainedAlone(@TempDir Path dir) {
    List<Trainer.Member> members = TrainerTest.members(3);
    GptConfig model = TrainerTest.model(members);
    TrainConfig train = TrainerTest.training(40);
    int m = 1;
    ListOpsTask task = members.get(m).task();
    int t = task.length() - 1;
    int[] input =
        Arrays.copyOf(task.encode(task.test().values().iterator().next()).ids(), 4 * (t + 1));
    int[] rows = new int[4 * t];
    for (int r = 0; r < 4; r++) System.arraycopy(input, r * (t + 1), rows, r * t, t);
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Trainer trainer = new Trainer(s, model, train, members);
      trainer.run((k, line) -> {}, false);
      GptExport.export(trainer, m, dir.resolve("member"), false);
    }
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Trainer trainer = new Trainer(s, model, train, List.of(members.get(m)));
      trainer.run((k, line) -> {}, false);
      GptExport.export(trainer, 0, dir.resolve("alone"), false);
    }
    float[] stacked = serve(dir.resolve("member"), rows, 4, t);
    float[] alone = serve(dir.resolve("alone"), rows, 4, t);
    assertTrue(
        TrainerTest.relative(alone, stacked) <= 1e-4,
        "logits differ by " + TrainerTest.relative(alone, stacked));
    int v = model.vocab();
    for (int i = 0; i < 4 * t; i++) {
      assertEquals(argmax(alone, i, v), argmax(stacked, i, v), "prediction " + i);
    }
  }

  private static float[] serve(Path export, int[] rows, int b, int t) {
    try (SavedModelBundle bundle = ModelExport.load(export);
        TInt32 ids = TInt32.tensorOf(Shape.of(b, t), DataBuffers.of(rows, true, false));
        Result out = bundle.function(ServingGraph.SERVING).call(Map.of("input", ids))) {
      return floats(out.get("logits").orElseThrow());
    }
  }

  private static int argmax(float[] logits, int row, int v) {
    int best = 0;
    for (int j = 1; j < v; j++) {
      if (logits[row * v + j] > logits[row * v + best]) {
        best = j;
      }
    }
    return best;
  }

  /**
   * probe outputs every documented tensor; ablate with all gates 1 is serving, with a gate 0 it
   * differs.
   */
  @Test
  void probeAndAblateSignatures(@TempDir Path dir) {
    GptConfig config = GptConfig.of(VOCAB, 12, 1, 2, 16).withLoops(2);
    int[] ids = random(B * T, 6);
    Path export = dir.resolve("model");
    try (ServingGraph graph = new ServingGraph(SessionConfig.defaults(), config, 3)) {
      ModelExport.export(graph.session(), export, false, graph.signatures(), Map.of());
    }
    try (SavedModelBundle bundle = ModelExport.load(export);
        TInt32 input = TInt32.tensorOf(Shape.of(B, T), DataBuffers.of(ids, true, false));
        TFloat32 ones = TFloat32.vectorOf(1f, 1f);
        TFloat32 mlpOff = TFloat32.vectorOf(1f, 0f);
        Result serving = bundle.function(ServingGraph.SERVING).call(Map.of("input", input));
        Result probe = bundle.function(ServingGraph.PROBE).call(Map.of("input", input));
        Result same =
            bundle
                .function(ServingGraph.ABLATE)
                .call(Map.of("input", input, "attn_gates", ones, "mlp_gates", ones));
        Result ablated =
            bundle
                .function(ServingGraph.ABLATE)
                .call(Map.of("input", input, "attn_gates", ones, "mlp_gates", mlpOff))) {
      float[] logits = floats(serving.get("logits").orElseThrow());
      assertArrayEquals(logits, floats(probe.get("logits").orElseThrow()));
      assertArrayEquals(logits, floats(same.get("logits").orElseThrow()));
      assertFalse(
          Arrays.equals(logits, floats(ablated.get("logits").orElseThrow())),
          "MLP of application 1 ablated");
      List<String> names = new ArrayList<>();
      probe.forEach(e -> names.add(e.getKey()));
      for (String name :
          List.of(
              "wte",
              "embedded",
              "h0.attn.probs",
              "h0.attn.out",
              "h0.mlp.out",
              "h0.resid.pre",
              "h0.resid.mid",
              "h0.resid.post",
              "h1.resid.post")) {
        assertTrue(names.contains(name), name + " in " + new TreeMap<>(Map.of("names", names)));
      }
      assertArrayEquals(new long[] {VOCAB, 16}, probe.get("wte").orElseThrow().shape().asArray());
      assertArrayEquals(
          new long[] {B, T, 16}, probe.get("h1.mlp.out").orElseThrow().shape().asArray());
      float[] probs = floats(probe.get("h0.attn.probs").orElseThrow()); // [B, heads, T, T]
      assertEquals(B * 2 * T * T, probs.length);
      for (int row = 0; row < B * 2 * T; row++) {
        int t = row % T;
        double sum = 0;
        for (int u = 0; u < T; u++) {
          sum += probs[row * T + u];
          if (u > t) {
            assertEquals(0f, probs[row * T + u], "no attention to the future");
          }
        }
        assertEquals(1.0, sum, 1e-5);
      }
      // the residual stream adds up: post = mid + mlp.out
      float[] mid = floats(probe.get("h0.resid.mid").orElseThrow());
      float[] mlp = floats(probe.get("h0.mlp.out").orElseThrow());
      float[] post = floats(probe.get("h0.resid.post").orElseThrow());
      for (int i = 0; i < post.length; i++) {
        assertEquals(mid[i] + mlp[i], post[i], 0f);
      }
    }
  }

  private static float[] floats(Tensor tensor) {
    TFloat32 t = (TFloat32) tensor;
    float[] out = new float[(int) t.shape().size()];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  private static int[] random(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = random.nextInt(VOCAB);
    }
    return out;
  }

  /** The fresh process: plain TensorFlow Java, nothing of the project. */
  public static final class Child {
    public static void main(String[] args) throws IOException {
      int[] ids = new int[B * T];
      try (DataInputStream in = new DataInputStream(Files.newInputStream(Path.of(args[1])))) {
        for (int i = 0; i < ids.length; i++) {
          ids[i] = in.readInt();
        }
      }
      try (SavedModelBundle bundle = SavedModelBundle.load(args[0], "serve");
          TInt32 input = TInt32.tensorOf(Shape.of(B, T), DataBuffers.of(ids, true, false));
          Result result = bundle.function("serving_default").call(Map.of("input", input));
          DataOutputStream out = new DataOutputStream(Files.newOutputStream(Path.of(args[2])))) {
        for (float v : floats(result.get("logits").orElseThrow())) {
          out.writeFloat(v);
        }
      }
    }
  }
}
