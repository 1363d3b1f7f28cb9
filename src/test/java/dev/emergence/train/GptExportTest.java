package dev.emergence.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.nn.GptConfig;
import dev.emergence.optim.Adam;
import dev.emergence.optim.AdamWConfig;
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

  /** A fresh JVM loads the export with plain SavedModelBundle.load and gets the same logits, bit for bit. */
  @Test
  void exportReloadsInAFreshProcessWithIdenticalLogits(@TempDir Path dir) throws Exception {
    GptConfig config = GptConfig.of(VOCAB, 12, 2, 2, 16);
    int[] ids = random(B * T, 4);
    float[] expected;
    Path export = dir.resolve("model");
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      GptGraph graph = new GptGraph(s, config, 4, 13, AdamWConfig.defaults(), 3);
      int[] rows = random(4 * 13, 5);
      float[] mask = new float[4 * 13];
      Arrays.fill(mask, 1f);
      for (int step = 0; step < 5; step++) {
        graph.trainStep(rows, mask, 1e-2, false);
      }
      expected = graph.logits(ids, B, T);
      ModelExport.export(s, export, false, graph.signatures(), Map.of("task.json", "{\"tasks\":\"MAX\"}"));
    }
    Path input = dir.resolve("ids.bin");
    Path output = dir.resolve("logits.bin");
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(input))) {
      for (int id : ids) {
        out.writeInt(id);
      }
    }
    ChildJvm.Outcome child =
        ChildJvm.run(Child.class, List.of(), List.of(export.toString(), input.toString(), output.toString()), Duration.ofMinutes(3));
    assertEquals(0, child.exitCode(), "child process failed:\n" + child.output());
    float[] actual = new float[B * T * VOCAB];
    try (DataInputStream in = new DataInputStream(Files.newInputStream(output))) {
      for (int i = 0; i < actual.length; i++) {
        actual[i] = in.readFloat();
      }
    }
    assertArrayEquals(expected, actual, "serving_default logits in a fresh process");
    assertEquals("{\"tasks\":\"MAX\"}", ModelExport.readExtra(export, "task.json"));
  }

  /** probe outputs every documented tensor; ablate with all gates 1 is serving, with a gate 0 it differs. */
  @Test
  void probeAndAblateSignatures(@TempDir Path dir) {
    GptConfig config = GptConfig.of(VOCAB, 12, 1, 2, 16).withLoops(2);
    int[] ids = random(B * T, 6);
    Path export = dir.resolve("model");
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      GptGraph graph = new GptGraph(s, config, 2, 13, AdamWConfig.defaults(), 3);
      ModelExport.export(s, export, false, graph.signatures(), Map.of());
    }
    try (SavedModelBundle bundle = ModelExport.load(export);
        TInt32 input = TInt32.tensorOf(Shape.of(B, T), DataBuffers.of(ids, true, false));
        TFloat32 ones = TFloat32.vectorOf(1f, 1f);
        TFloat32 mlpOff = TFloat32.vectorOf(1f, 0f);
        Result serving = bundle.function(GptGraph.SERVING).call(Map.of("input", input));
        Result probe = bundle.function(GptGraph.PROBE).call(Map.of("input", input));
        Result same = bundle.function(GptGraph.ABLATE).call(Map.of("input", input, "attn_gates", ones, "mlp_gates", ones));
        Result ablated = bundle.function(GptGraph.ABLATE).call(Map.of("input", input, "attn_gates", ones, "mlp_gates", mlpOff))) {
      float[] logits = floats(serving.get("logits").orElseThrow());
      assertArrayEquals(logits, floats(probe.get("logits").orElseThrow()));
      assertArrayEquals(logits, floats(same.get("logits").orElseThrow()));
      assertFalse(Arrays.equals(logits, floats(ablated.get("logits").orElseThrow())), "MLP of application 1 ablated");
      List<String> names = new ArrayList<>();
      probe.forEach(e -> names.add(e.getKey()));
      for (String name :
          List.of("wte", "embedded", "h0.attn.probs", "h0.attn.out", "h0.mlp.out", "h0.resid.pre", "h0.resid.mid", "h0.resid.post", "h1.resid.post")) {
        assertTrue(names.contains(name), name + " in " + new TreeMap<>(Map.of("names", names)));
      }
      assertArrayEquals(new long[] {VOCAB, 16}, probe.get("wte").orElseThrow().shape().asArray());
      assertArrayEquals(new long[] {B, T, 16}, probe.get("h1.mlp.out").orElseThrow().shape().asArray());
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
