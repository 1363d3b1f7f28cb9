package dev.emergence.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.nn.GptConfig;
import dev.emergence.optim.AdamWConfig;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrainingGraphTest {
  private static final int VOCAB = 13;

  /**
   * Each member of a tiny stack memorizes its own 8 random sequences: the loss on every token falls
   * near zero, and the member served alone predicts every next token.
   */
  @ParameterizedTest(name = "K = {0}")
  @ValueSource(ints = {1, 2})
  void tinyModelsOverfitASmallBatch(int k) {
    GptConfig config = GptConfig.of(VOCAB, 12, 1, 2, 16);
    int batch = 8;
    int length = 13;
    int[] ids = random(k * batch * length, 3);
    for (int r = 0; r < k * batch; r++) {
      ids[r * length] =
          r % batch; // distinct first tokens: every context of a member is unique, so memorizing
      // is possible
    }
    float[] mask = new float[k * batch * length];
    Arrays.fill(mask, 1f);
    float[] lr = new float[k];
    float[] active = new float[k];
    Arrays.fill(lr, 1e-2f);
    Arrays.fill(active, 1f);
    long[] seeds = new long[k];
    Arrays.setAll(seeds, m -> 5 + m);
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      TrainingGraph graph =
          new TrainingGraph(
              s, config, seeds, batch, length, AdamWConfig.defaults().withWeightDecay(0), 0, 1);
      float[] first = graph.trainStep(ids, mask, lr, active, true);
      float[] last = first;
      for (int step = 0; step < 400; step++) {
        last = graph.trainStep(ids, mask, lr, active, true);
      }
      for (int m = 0; m < k; m++) {
        assertTrue(first[m] > 2.0, "member " + m + " starts near log(13) = 2.56: " + first[m]);
        assertTrue(last[m] < 0.05, "member " + m + " memorized: final loss " + last[m]);
        // Greedy predictions of the member served alone reproduce every next token.
        int[] inputs = new int[batch * (length - 1)];
        for (int r = 0; r < batch; r++) {
          System.arraycopy(ids, (m * batch + r) * length, inputs, r * (length - 1), length - 1);
        }
        try (ServingGraph served =
            ServingGraph.of(SessionConfig.defaults(), config, seeds[m], graph.weights(m))) {
          int[] predicted = served.predict(inputs, batch, length - 1);
          for (int r = 0; r < batch; r++) {
            for (int t = 0; t < length - 1; t++) {
              assertEquals(
                  ids[(m * batch + r) * length + t + 1],
                  predicted[r * (length - 1) + t],
                  "member " + m + " row " + r + " position " + t);
            }
          }
        }
      }
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
