package dev.emergence.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.session.Feeds;
import dev.emergence.session.Fetched;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import dev.emergence.train.TrainingGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One model implementation for any K: member k of a stack is the model of its seed alone (weights,
 * logits, dropout masks), members do not see each other, the answer-only path equals the full one.
 */
class GptTest {
  private static final GptConfig CONFIG = GptConfig.of(13, 10, 2, 2, 8);
  private static final long[] SEEDS = {3, 11, 5};
  private static final int B = 2;
  private static final int T = 7;

  /**
   * Weights bit for bit, logits (also through dropout: each member draws its own masks) up to the
   * batched products' rounding.
   */
  @ParameterizedTest(name = "K = {0}")
  @ValueSource(ints = {1, 3})
  void memberKIsTheModelOfItsSeedAlone(int k) {
    long[] seeds = Arrays.copyOf(SEEDS, k);
    int[] ids = randomIds(k * B * T, 1);
    Run stack = run(CONFIG.withDropout(0.2), seeds, ids);
    for (int m = 0; m < k; m++) {
      Run alone =
          run(
              CONFIG.withDropout(0.2),
              new long[] {seeds[m]},
              Arrays.copyOfRange(ids, m * B * T, (m + 1) * B * T));
      for (int i = 0; i < alone.weights.size(); i++) {
        float[] single = alone.weights.get(i);
        assertArrayEquals(
            single,
            Arrays.copyOfRange(stack.weights.get(i), m * single.length, (m + 1) * single.length),
            "variable " + i + " of member " + m);
      }
      int per = B * T * CONFIG.vocab();
      assertClose(
          alone.logits,
          Arrays.copyOfRange(stack.logits, m * per, (m + 1) * per),
          1e-5,
          "logits of member " + m);
      assertClose(
          alone.dropped,
          Arrays.copyOfRange(stack.dropped, m * per, (m + 1) * per),
          1e-5,
          "logits with dropout of member " + m);
    }
  }

  /**
   * One model's own variables (a SavedModel's layout) are a stack of one: the same weights and
   * logits, bit for bit.
   */
  @org.junit.jupiter.api.Test
  void memberLayoutIsAStackOfOne() {
    int[] ids = randomIds(B * T, 5);
    Run stack = run(CONFIG.withDropout(0.2), new long[] {7}, ids);
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Ops tf = s.tf();
      Gpt model = Gpt.member(tf, CONFIG, 7);
      Operand<TFloat32> logits =
          model.forward(Pass.of(tf, 1, B, T), tf.constant(reshape(ids, 1, B, T)), null, null);
      List<Operand<TFloat32>> fetches = new ArrayList<>(List.of(logits));
      model.variables().forEach(v -> fetches.add(tf.identity(v)));
      Fetched f = s.run(Feeds.of(), fetches);
      assertArrayEquals(stack.logits, f.floats(logits));
      for (int i = 0; i < stack.weights.size(); i++) {
        assertArrayEquals(
            stack.weights.get(i),
            f.floats(fetches.get(i + 1)),
            model.variables().get(i).op().name());
      }
      assertArrayEquals(
          new long[] {CONFIG.vocab(), CONFIG.dModel()},
          model.tokenTable().shape().asArray(),
          "wte in its own shape");
    }
  }

  /** A stack's weights and the logits of a plain and a dropout pass over ids {@code [K, B, T]}. */
  // Arrays by design: fetched weights and logits, compared element-wise by the test.
  @SuppressWarnings("ArrayRecordComponent")
  private record Run(List<float[]> weights, float[] logits, float[] dropped) {}

  private static Run run(GptConfig config, long[] seeds, int[] ids) {
    int k = seeds.length;
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Ops tf = s.tf();
      Gpt model = new Gpt(tf, config, seeds);
      Operand<TInt32> input = tf.constant(reshape(ids, k, B, T));
      Operand<TFloat32> logits = model.forward(Pass.of(tf, k, B, T), input, null, null);
      Operand<TFloat32> dropped =
          model.forward(
              Pass.of(tf, k, B, T).withDropout(config.dropout(), seeds), input, null, null);
      List<Operand<TFloat32>> fetches = new ArrayList<>(List.of(logits, dropped));
      model.variables().forEach(v -> fetches.add(tf.identity(v)));
      Fetched f = s.run(Feeds.of(), fetches);
      assertFalse(Arrays.equals(f.floats(logits), f.floats(dropped)), "dropout changes the logits");
      return new Run(
          fetches.subList(2, fetches.size()).stream().map(f::floats).toList(),
          f.floats(logits),
          f.floats(dropped));
    }
  }

  /** Position t's logits do not depend on tokens after t, and no member sees another's tokens. */
  @ParameterizedTest(name = "K = {0}")
  @ValueSource(ints = {1, 3})
  void attentionIsCausalAndMembersAreApart(int k) {
    int[] a = randomIds(k * B * T, 2);
    int[] b = a.clone();
    b[4] = (b[4] + 1) % CONFIG.vocab(); // member 0, row 0, position 4
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Ops tf = s.tf();
      Gpt model = new Gpt(tf, CONFIG.withLoops(2), Arrays.copyOf(SEEDS, k));
      Operand<TFloat32> la =
          model.forward(Pass.of(tf, k, B, T), tf.constant(reshape(a, k, B, T)), null, null);
      Operand<TFloat32> lb =
          model.forward(Pass.of(tf, k, B, T), tf.constant(reshape(b, k, B, T)), null, null);
      Fetched f = s.run(Feeds.of(), List.of(la, lb));
      float[] x = f.floats(la);
      float[] y = f.floats(lb);
      int v = CONFIG.vocab();
      assertArrayEquals(
          Arrays.copyOf(x, 4 * v), Arrays.copyOf(y, 4 * v), "positions before the change");
      assertFalse(
          Arrays.equals(Arrays.copyOfRange(x, 4 * v, T * v), Arrays.copyOfRange(y, 4 * v, T * v)),
          "later positions see it");
      assertArrayEquals(
          Arrays.copyOfRange(x, T * v, x.length),
          Arrays.copyOfRange(y, T * v, y.length),
          "other rows and members");
    }
  }

  /** Probes carry the model axis; a gate of one member changes that member's logits only. */
  @ParameterizedTest(name = "K = {0}")
  @ValueSource(ints = {1, 3})
  void probesAndGatesPerMember(int k) {
    int n = CONFIG.applications();
    float[][] ones = new float[k][n];
    float[][] mlpOff = new float[k][n];
    for (int m = 0; m < k; m++) {
      Arrays.fill(ones[m], 1f);
      Arrays.fill(mlpOff[m], 1f);
    }
    mlpOff[k - 1][1] = 0f; // the last member's second MLP
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Ops tf = s.tf();
      Gpt model = new Gpt(tf, CONFIG, Arrays.copyOf(SEEDS, k));
      Operand<TInt32> ids = tf.constant(reshape(randomIds(k * B * T, 3), k, B, T));
      Pass probe = Pass.of(tf, k, B, T).probing();
      Operand<TFloat32> plain = model.forward(Pass.of(tf, k, B, T), ids, null, null);
      Operand<TFloat32> gated = model.forward(probe, ids, tf.constant(ones), tf.constant(ones));
      Operand<TFloat32> ablated =
          model.forward(Pass.of(tf, k, B, T), ids, tf.constant(ones), tf.constant(mlpOff));
      Operand<TFloat32> probs = probe.probes().get("h1.attn.probs");
      Operand<TFloat32> post = probe.probes().get("h1.resid.post");
      Fetched f = s.run(Feeds.of(), List.of(plain, gated, ablated, probs, post));
      assertArrayEquals(f.floats(plain), f.floats(gated), "gates of 1 change nothing");
      int per = B * T * CONFIG.vocab();
      float[] x = f.floats(plain);
      float[] y = f.floats(ablated);
      assertArrayEquals(
          Arrays.copyOf(x, (k - 1) * per), Arrays.copyOf(y, (k - 1) * per), "the other members");
      assertFalse(
          Arrays.equals(
              Arrays.copyOfRange(x, (k - 1) * per, k * per),
              Arrays.copyOfRange(y, (k - 1) * per, k * per)),
          "the gated member");
      assertEquals(
          List.of("wte", "embedded", "h0.resid.pre"),
          new ArrayList<>(probe.probes().keySet()).subList(0, 3));
      assertArrayEquals(new long[] {k, B, CONFIG.heads(), T, T}, probs.shape().asArray());
      assertEquals(k * B * T * CONFIG.dModel(), f.floats(post).length);
    }
  }

  @ParameterizedTest(name = "K = {0}")
  @ValueSource(ints = {1, 3})
  void answerOnlyPathHasTheFullPathsLossAndGradients(int k) {
    int b = 3;
    int t = 9;
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
      Gpt stack = new Gpt(tf, CONFIG.withLoops(2), Arrays.copyOf(SEEDS, k));
      Operand<TInt32> rows = tf.constant(reshape(ids, k, b, t + 1));
      Operand<TInt32> inputs =
          tf.slice(rows, tf.constant(new int[] {0, 0, 0}), tf.constant(new int[] {k, b, t}));
      Operand<TInt32> next =
          tf.slice(rows, tf.constant(new int[] {0, 0, 1}), tf.constant(new int[] {k, b, t}));
      Operand<TFloat32> w =
          tf.slice(
              tf.constant(reshape(mask, k, b, t + 1)),
              tf.constant(new int[] {0, 0, 0}),
              tf.constant(new int[] {k, b, t}));
      Operand<TFloat32> full =
          loss(tf, stack.forward(Pass.of(tf, k, b, t), inputs, null, null), next, w, k, b * t);
      TrainingGraph.AnswerFeed a = TrainingGraph.answerFeeds(ids, mask, k * b, t + 1, p);
      Selection selection = new Selection(tf.constant(reshape(a.positions(), k, b, p)), p);
      Operand<TFloat32> fast =
          loss(
              tf,
              stack.forward(Pass.of(tf, k, b, t).at(selection), inputs, null, null),
              tf.constant(reshape(a.targets(), k, b, p)),
              tf.constant(reshape(a.weights(), k, b, p)),
              k,
              b * p);
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
        String name = stack.variables().get(i).op().name();
        float[] g = f.floats(fetches.get(2 + 2 * i));
        boolean reached = false;
        for (float x : g) {
          reached |= x != 0;
        }
        assertTrue(reached || name.equals("wpe"), "a gradient reaches " + name);
        assertClose(g, f.floats(fetches.get(3 + 2 * i)), 1e-5, "gradient of " + name);
      }
    }
  }

  /** Per member: sum(ce * w) / max(sum w, 1), as the training graph computes it. */
  private static Operand<TFloat32> loss(
      Ops tf,
      Operand<TFloat32> logits,
      Operand<TInt32> labels,
      Operand<TFloat32> w,
      int k,
      int rows) {
    Operand<TFloat32> flat = tf.reshape(logits, tf.constant(new int[] {k * rows, CONFIG.vocab()}));
    Operand<TFloat32> ce =
        tf.reshape(
            tf.nn
                .softmaxCrossEntropyWithLogits(
                    flat,
                    tf.oneHot(
                        tf.reshape(labels, tf.constant(new int[] {-1})),
                        tf.constant(CONFIG.vocab()),
                        tf.constant(1f),
                        tf.constant(0f)))
                .loss(),
            tf.constant(new int[] {k, rows}));
    Operand<TFloat32> wr = tf.reshape(w, tf.constant(new int[] {k, rows}));
    return tf.math.div(
        tf.reduceSum(tf.math.mul(ce, wr), tf.constant(1)),
        tf.math.maximum(tf.reduceSum(wr, tf.constant(1)), tf.constant(1f)));
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> grad(Output<?> g) {
    return (Operand<TFloat32>) g;
  }

  /** Every entry within {@code relative} of the largest expected magnitude. */
  public static void assertClose(float[] expected, float[] actual, double relative, String what) {
    assertEquals(expected.length, actual.length, what);
    double scale = 0;
    for (float x : expected) {
      scale = Math.max(scale, Math.abs(x));
    }
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs(expected[i] - actual[i]);
      assertTrue(
          diff <= relative * Math.max(scale, 1e-12),
          what + " [" + i + "]: " + expected[i] + " vs " + actual[i] + " (scale " + scale + ")");
    }
  }

  private static int[] randomIds(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) out[i] = random.nextInt(CONFIG.vocab());
    return out;
  }

  private static int[][][] reshape(int[] a, int k, int rows, int cols) {
    int[][][] out = new int[k][rows][cols];
    for (int i = 0; i < k; i++)
      for (int r = 0; r < rows; r++) System.arraycopy(a, (i * rows + r) * cols, out[i][r], 0, cols);
    return out;
  }

  private static float[][][] reshape(float[] a, int k, int rows, int cols) {
    float[][][] out = new float[k][rows][cols];
    for (int i = 0; i < k; i++)
      for (int r = 0; r < rows; r++) System.arraycopy(a, (i * rows + r) * cols, out[i][r], 0, cols);
    return out;
  }
}
