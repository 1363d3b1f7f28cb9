package dev.emergence.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.listops.ListOperator;
import dev.emergence.listops.Split;
import dev.emergence.listops.Vocabulary;
import dev.emergence.session.SessionConfig;
import dev.emergence.train.ListOpsTask;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analyses on exports with planted weights, where the answer is known. */
class ProberTest {
  private static final SessionConfig CPU = SessionConfig.defaults();

  private static ProbeResult probe(Path export, int examples, boolean ablate) {
    try (ExportedModel model = ExportedModel.open(export, CPU)) {
      return new Prober(CPU, examples, 0, ablate).probe(model);
    }
  }

  /** Numbers on a line, parity as an offset: PCA recovers the order, the probe finds parity. */
  @Test
  void plantedLineWithParityOffset(@TempDir Path dir) {
    ListOpsTask task = TinyExports.task("MAX,SUM", 10, 60, false, 1);
    Path export =
        TinyExports.export(
            dir.resolve("line"),
            task,
            c -> c,
            0,
            (plants, config) -> {
              float[][] wte = TinyExports.gaussian(config.vocab(), config.dModel(), 1);
              for (int v = 0; v < 10; v++) {
                float[] row = new float[config.dModel()];
                row[0] = v; // the line
                row[1] = 2f * (v % 2); // parity as an offset
                wte[Vocabulary.FIRST_NUMBER + v] = row;
              }
              plants.matrix("wte", wte);
            });
    ProbeResult r = probe(export, 60, false);
    assertTrue(r.order() > 0.99, "order " + r.order());
    for (int v = 1; v < 10; v++) {
      assertTrue(r.pc1()[v] > r.pc1()[v - 1], "PC1 increases with the value at " + v);
    }
    assertTrue(r.explainedVariance()[0] > 0.7, "PC1 carries the line: " + r.explainedVariance()[0]);
    assertTrue(
        r.parityProbeAccuracy().get("embedding") > 0.95, "parity " + r.parityProbeAccuracy());
    assertEquals(List.of("embedding", "layer_0"), r.readPoints());
    assertEquals(r.parityProbeAccuracy(), r.modular().get("2"));
    assertTrue(r.probeContexts() > 200, "contexts " + r.probeContexts());
    assertEquals(5, r.probeFolds());
  }

  /**
   * Random number embeddings: nothing to find, the held-out-number parity probe stays near chance.
   */
  @Test
  void plantedRandomEmbeddingsGiveChance(@TempDir Path dir) {
    ListOpsTask task = TinyExports.task("MAX", 30, 150, false, 1);
    Path export =
        TinyExports.export(
            dir.resolve("random"),
            task,
            c -> c,
            0,
            (plants, config) ->
                plants.matrix("wte", TinyExports.gaussian(config.vocab(), config.dModel(), 7)));
    ProbeResult r = probe(export, 150, false);
    double parity = r.parityProbeAccuracy().get("embedding");
    assertTrue(parity > 0.3 && parity < 0.7, "parity " + parity);
    assertTrue(r.order() < 0.6, "order " + r.order());
    assertEquals(10, r.probeFolds());
  }

  /** Zeroed MLP in block 0 and zeroed attention in block 1: ablating them changes nothing. */
  @Test
  void zeroingASublayerThatContributesNothingLeavesAccuracyUnchanged(@TempDir Path dir) {
    ListOpsTask task = TinyExports.task("MAX,MIN", 10, 80, false, 1);
    Path export =
        TinyExports.export(
            dir.resolve("zeroed"),
            task,
            c -> c.withMlpRatio(2),
            150,
            (plants, config) -> {
              plants.zero("h0.mlp.proj.w");
              plants.zero("h0.mlp.proj.b");
            });
    ProbeResult r = probe(export, 80, true);
    Ablation a = r.ablation();
    assertEquals(a.intact(), a.mlp().get("layer_0"));
    assertEquals(0.0, r.ffnRatio().get("layer_0"));
    assertTrue(a.intact().get("overall") > 0.25, "the model learned something: " + a.intact());
    assertTrue(!a.intact().equals(a.attention().get("layer_0")), "attention matters: " + a);
  }

  /**
   * A hand-built two-layer model: no position embedding, each sublayer's output projection zero
   * with a bias, so every sublayer adds a constant vector; the ratios follow by hand from the token
   * rows.
   */
  @Test
  void ratiosOfAHandBuiltTwoLayerModelMatchAHandComputation(@TempDir Path dir) {
    int examples = 40;
    ListOpsTask task = TinyExports.task("SUM,MED", 10, examples, false, 1);
    int d = 8;
    float[][] wte = new float[task.vocab()][d];
    for (int id = 0; id < wte.length; id++) {
      wte[id][id % d] = id + 1;
      wte[id][(id + 3) % d] += 0.5f;
    }
    float[][] attn = {{0.3f, 0, -0.4f, 0, 0, 0, 0, 0}, {0, 0, 0, 1, 1, 0, 0, 0}};
    float[][] mlp = {{0, 2, 0, 0, 0, 0, 0, 0}, {0.1f, 0.1f, 0.1f, 0.1f, 0, 0, 0, 0}};
    Path export =
        TinyExports.export(
            dir.resolve("hand"),
            task,
            c -> new dev.emergence.nn.GptConfig(c.vocab(), c.context(), 2, 1, d, 4, true, 1, 0.0),
            0,
            (plants, config) -> {
              plants.matrix("wte", wte);
              plants.zero("wpe");
              for (int i = 0; i < 2; i++) {
                plants.zero("h" + i + ".attn.proj.w");
                plants.vector("h" + i + ".attn.proj.b", attn[i]);
                plants.zero("h" + i + ".mlp.proj.w");
                plants.vector("h" + i + ".mlp.proj.b", mlp[i]);
              }
            });
    // by hand: every prompt position (expression tokens and '=') of the first examples of each test
    // set
    double[] pre = new double[2], mid = new double[2];
    long positions = 0;
    for (Map.Entry<ListOperator, Split> e : task.test().entrySet()) {
      Split split = e.getValue();
      for (int i = 0; i < Math.min(examples, split.size()); i++) {
        int[] tokens = split.expression(i).tokens();
        int[] prompt = java.util.Arrays.copyOf(tokens, tokens.length + 1);
        prompt[tokens.length] = Vocabulary.EQUALS;
        for (int token : prompt) {
          double[] x = new double[d];
          for (int j = 0; j < d; j++) {
            x[j] = wte[token][j];
          }
          for (int layer = 0; layer < 2; layer++) {
            pre[layer] += norm(x);
            add(x, attn[layer]);
            mid[layer] += norm(x);
            add(x, mlp[layer]);
          }
          positions++;
        }
      }
    }
    ProbeResult r = probe(export, examples, false);
    for (int layer = 0; layer < 2; layer++) {
      double attention = norm(toDouble(attn[layer])) / (pre[layer] / positions);
      double ffn = norm(toDouble(mlp[layer])) / (mid[layer] / positions);
      assertEquals(
          attention,
          r.attentionRatio().get("layer_" + layer),
          1e-5 * attention,
          "attention ratio, layer " + layer);
      assertEquals(
          ffn, r.ffnRatio().get("layer_" + layer), 1e-5 * ffn, "ffn ratio, layer " + layer);
    }
  }

  private static double norm(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v * v;
    }
    return Math.sqrt(s);
  }

  private static void add(double[] x, float[] y) {
    for (int j = 0; j < x.length; j++) {
      x[j] += y[j];
    }
  }

  private static double[] toDouble(float[] x) {
    double[] out = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      out[j] = x[j];
    }
    return out;
  }
}
