package dev.emergence.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.session.Feeds;
import dev.emergence.session.Fetched;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** A stack of K models: member k starts as the single model of its seed, and the answer-only path equals the full one. */
class StackedGptTest {
  private static final GptConfig CONFIG = GptConfig.of(13, 10, 2, 2, 8);
  private static final long[] SEEDS = {3, 11, 5};

  @Test
  void memberSlicesAreTheSingleModelsWeightsAndLogits() {
    int b = 2;
    int t = 7;
    int[] ids = randomIds(SEEDS.length * b * t, 1);
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Ops tf = s.tf();
      StackedGpt stack = new StackedGpt(tf, CONFIG, SEEDS, "");
      Operand<TFloat32> stacked = stack.forward(tf, tf.constant(reshape(ids, SEEDS.length, b, t)), b, t, null); // [K, b*t, V]
      List<Gpt> singles = new ArrayList<>();
      List<Operand<TFloat32>> singleLogits = new ArrayList<>();
      for (int k = 0; k < SEEDS.length; k++) {
        Gpt single = new Gpt(tf, CONFIG, SEEDS[k], "m" + k);
        singles.add(single);
        Operand<TInt32> memberIds = tf.constant(reshape(Arrays.copyOfRange(ids, k * b * t, (k + 1) * b * t), b, t));
        singleLogits.add(single.forward(Pass.inference(tf, memberIds, false), memberIds, null, null));
      }
      List<Operand<TFloat32>> fetches = new ArrayList<>(singleLogits);
      fetches.add(stacked);
      stack.variables().forEach(v -> fetches.add(tf.identity(v)));
      singles.forEach(g -> g.variables().forEach(v -> fetches.add(tf.identity(v))));
      Fetched f = s.run(Feeds.of(), fetches);
      float[] all = f.floats(stacked);
      int per = b * t * CONFIG.vocab();
      for (int k = 0; k < SEEDS.length; k++) {
        assertClose(f.floats(singleLogits.get(k)), Arrays.copyOfRange(all, k * per, (k + 1) * per), 1e-5, "logits of member " + k);
      }
      int n = stack.variables().size();
      assertEquals(singles.get(0).variables().size(), n);
      for (int i = 0; i < n; i++) {
        float[] whole = f.floats(fetches.get(SEEDS.length + 1 + i));
        for (int k = 0; k < SEEDS.length; k++) {
          float[] single = f.floats(fetches.get(SEEDS.length + 1 + n + k * n + i));
          assertEquals("m" + k + "." + stack.names().get(i), singles.get(k).variables().get(i).op().name());
          assertArrayEquals(single, Arrays.copyOfRange(whole, k * single.length, (k + 1) * single.length), stack.names().get(i) + " of member " + k);
        }
      }
    }
  }

  @Test
  void answerOnlyPathHasTheFullPathsLossAndGradients() {
    int b = 3;
    int t = 9;
    int k = SEEDS.length;
    int p = 2;
    int[] ids = randomIds(k * b * (t + 1), 2);
    float[] mask = new float[k * b * (t + 1)];
    SplittableRandom random = new SplittableRandom(4);
    for (int r = 0; r < k * b; r++) {
      int at = 2 + random.nextInt(t - 3); // two loss positions per row, somewhere before the end
      mask[r * (t + 1) + at] = 1;
      if (r % 4 != 0) {
        mask[r * (t + 1) + at + 1] = 1; // some rows carry one position only
      }
    }
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Ops tf = s.tf();
      StackedGpt stack = new StackedGpt(tf, CONFIG.withLoops(2), SEEDS, "");
      Operand<TInt32> rows = tf.constant(reshape(ids, k, b, t + 1));
      Operand<TInt32> inputs = tf.slice(rows, tf.constant(new int[] {0, 0, 0}), tf.constant(new int[] {k, b, t}));
      Operand<TInt32> next = tf.slice(rows, tf.constant(new int[] {0, 0, 1}), tf.constant(new int[] {k, b, t}));
      Operand<TFloat32> w = tf.slice(tf.constant(reshape(mask, k, b, t + 1)), tf.constant(new int[] {0, 0, 0}), tf.constant(new int[] {k, b, t}));
      Operand<TFloat32> full = loss(tf, stack.forward(tf, inputs, b, t, null), next, w, k, b * t);
      dev.emergence.train.StackedGraph.AnswerFeed a = dev.emergence.train.StackedGraph.answerFeeds(ids, mask, k * b, t + 1, p);
      Operand<TInt32> positions = tf.constant(reshape(a.positions(), k, b, p));
      Operand<TFloat32> fast =
          loss(tf, stack.forward(tf, inputs, b, t, new StackedGpt.Selection(positions, p)), tf.constant(reshape(a.targets(), k, b, p)),
              tf.constant(reshape(a.weights(), k, b, p)), k, b * p);
      Output<?>[] xs = stack.variables().stream().map(Variable::asOutput).toArray(Output<?>[]::new);
      Output<?>[] fullGrads = s.graph().addGradients(full.asOutput(), xs);
      Output<?>[] fastGrads = s.graph().addGradients(fast.asOutput(), xs);
      List<Operand<TFloat32>> fetches = new ArrayList<>(List.of(full, fast));
      for (int i = 0; i < xs.length; i++) {
        fetches.add(tf.identity(grad(fullGrads[i])));
        fetches.add(tf.identity(grad(fastGrads[i])));
      }
      Fetched f = s.run(Feeds.of(), fetches);
      assertClose(f.floats(full), f.floats(fast), 1e-6, "member losses");
      for (int i = 0; i < xs.length; i++) {
        float[] g = f.floats(fetches.get(2 + 2 * i));
        assertTrue(Arrays.stream(box(g)).anyMatch(x -> x != 0) || stack.names().get(i).equals("wpe"), "a gradient reaches " + stack.names().get(i));
        assertClose(g, f.floats(fetches.get(3 + 2 * i)), 1e-5, "gradient of " + stack.names().get(i));
      }
    }
  }

  @Test
  void dropoutIsRefused() {
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new StackedGpt(s.tf(), CONFIG.withDropout(0.1), SEEDS, ""));
      assertTrue(e.getMessage().contains("dropout"), e.getMessage());
    }
  }

  /** Per member: sum(ce * w) / max(sum w, 1), as the training graphs compute it. */
  private static Operand<TFloat32> loss(Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels, Operand<TFloat32> w, int k, int rows) {
    Operand<TFloat32> flat = tf.reshape(logits, tf.constant(new int[] {k * rows, CONFIG.vocab()}));
    Operand<TFloat32> ce = tf.reshape(
        tf.nn.softmaxCrossEntropyWithLogits(flat, tf.oneHot(tf.reshape(labels, tf.constant(new int[] {-1})), tf.constant(CONFIG.vocab()), tf.constant(1f), tf.constant(0f))).loss(),
        tf.constant(new int[] {k, rows}));
    Operand<TFloat32> wr = tf.reshape(w, tf.constant(new int[] {k, rows}));
    return tf.math.div(tf.reduceSum(tf.math.mul(ce, wr), tf.constant(1)), tf.math.maximum(tf.reduceSum(wr, tf.constant(1)), tf.constant(1f)));
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> grad(Output<?> g) {
    return (Operand<TFloat32>) g;
  }

  static void assertClose(float[] expected, float[] actual, double relative, String what) {
    assertEquals(expected.length, actual.length, what);
    double scale = 0;
    for (float x : expected) {
      scale = Math.max(scale, Math.abs(x));
    }
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs(expected[i] - actual[i]);
      assertTrue(diff <= relative * Math.max(scale, 1e-12), what + " [" + i + "]: " + expected[i] + " vs " + actual[i] + " (scale " + scale + ")");
    }
  }

  private static Float[] box(float[] a) {
    Float[] out = new Float[a.length];
    for (int i = 0; i < a.length; i++) out[i] = a[i];
    return out;
  }

  private static int[] randomIds(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) out[i] = random.nextInt(CONFIG.vocab());
    return out;
  }

  private static int[][] reshape(int[] a, int rows, int cols) {
    int[][] out = new int[rows][cols];
    for (int r = 0; r < rows; r++) System.arraycopy(a, r * cols, out[r], 0, cols);
    return out;
  }

  private static int[][][] reshape(int[] a, int k, int rows, int cols) {
    int[][][] out = new int[k][rows][cols];
    for (int i = 0; i < k; i++) for (int r = 0; r < rows; r++) System.arraycopy(a, (i * rows + r) * cols, out[i][r], 0, cols);
    return out;
  }

  private static float[][][] reshape(float[] a, int k, int rows, int cols) {
    float[][][] out = new float[k][rows][cols];
    for (int i = 0; i < k; i++) for (int r = 0; r < rows; r++) System.arraycopy(a, (i * rows + r) * cols, out[i][r], 0, cols);
    return out;
  }
}
