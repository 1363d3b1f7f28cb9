package dev.emergence.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.optim.Adam;
import dev.emergence.optim.AdamWConfig;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import dev.emergence.nn.GptConfig;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GptGraphTest {
  private static final int VOCAB = 13;

  /** A tiny model memorizes 8 random sequences: the loss on every token falls near zero. */
  @Test
  void tinyModelOverfitsASmallBatch() {
    GptConfig config = GptConfig.of(VOCAB, 12, 1, 2, 16);
    int batch = 8;
    int length = 13;
    int[] ids = random(batch * length, 3);
    for (int r = 0; r < batch; r++) {
      ids[r * length] = r; // distinct first tokens: every context is unique, so memorizing is possible
    }
    float[] mask = new float[batch * length];
    Arrays.fill(mask, 1f);
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      GptGraph graph = new GptGraph(s, config, batch, length, AdamWConfig.defaults().withWeightDecay(0), 5);
      float first = graph.trainStep(ids, mask, 1e-2, true);
      float last = first;
      for (int step = 0; step < 400; step++) {
        last = graph.trainStep(ids, mask, 1e-2, true);
      }
      assertTrue(first > 2.0, "starts near log(13) = 2.56: " + first);
      assertTrue(last < 0.05, "memorized: final loss " + last);
      // Greedy predictions of the inference pass reproduce every next token.
      int[] inputs = new int[batch * (length - 1)];
      for (int r = 0; r < batch; r++) {
        System.arraycopy(ids, r * length, inputs, r * (length - 1), length - 1);
      }
      int[] predicted = graph.predict(inputs, batch, length - 1);
      for (int r = 0; r < batch; r++) {
        for (int t = 0; t < length - 1; t++) {
          assertEquals(ids[r * length + t + 1], predicted[r * (length - 1) + t], "row " + r + " position " + t);
        }
      }
    }
  }

  /** Position t's logits do not depend on tokens after t. */
  @Test
  void attentionIsCausal() {
    GptConfig config = GptConfig.of(VOCAB, 10, 2, 2, 16).withLoops(2);
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      GptGraph graph = new GptGraph(s, config, 2, 11, AdamWConfig.defaults(), 9);
      int[] a = random(10, 1);
      int[] b = a.clone();
      b[7] = (b[7] + 1) % VOCAB;
      float[] la = graph.logits(a, 1, 10);
      float[] lb = graph.logits(b, 1, 10);
      assertArrayEquals(Arrays.copyOf(la, 7 * VOCAB), Arrays.copyOf(lb, 7 * VOCAB));
      assertTrue(!Arrays.equals(la, lb), "later positions do see the change");
    }
  }

  private static int[] random(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = random.nextInt(VOCAB);
    }
    return out;
  }
}
