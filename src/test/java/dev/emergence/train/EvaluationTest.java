package dev.emergence.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.EncodedBatch;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.Mix;
import dev.emergence.nn.GptConfig;
import dev.emergence.optim.Adam;
import dev.emergence.optim.AdamWConfig;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EvaluationTest {

  /**
   * A model that memorized 16 chains of thought decodes each of them greedily to the right answer;
   * the same rows judged against wrong answers all fail.
   */
  @Test
  void greedyChainOfThoughtDecodingOfMemorizedChains() {
    GeneratorConfig generator = GeneratorConfig.defaults(Mix.parse("MAX,SUM")).withMaxDepth(2);
    ListOpsTask task = ListOpsTask.build(generator, new DatasetSpec(16, 0, 0), 3, true);
    int rows = task.trainSize();
    int[] all = new int[rows];
    for (int i = 0; i < rows; i++) {
      all[i] = i;
    }
    int length = task.length();
    int[] ids = new int[rows * length];
    float[] mask = new float[rows * length];
    task.trainBatch(all, TrainConfig.LossOn.ANSWER, ids, mask); // the chain after the first = is determined by the expression
    GptConfig config = GptConfig.of(task.vocab(), length - 1, 2, 2, 32);
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      GptGraph graph = new GptGraph(s, config, rows, length, AdamWConfig.defaults().withWeightDecay(0), 1);
      float loss = Float.NaN;
      for (int step = 0; step < 600; step++) {
        loss = graph.trainStep(ids, mask, 1e-2, step % 50 == 49);
      }
      assertTrue(loss < 0.02, "memorized: loss " + loss);
      EncodedBatch batch = task.encode(task.dataset().train());
      boolean[] ok = Evaluation.correct(graph, batch, true);
      assertEquals(rows, count(ok), "every memorized chain decodes to its answer: " + Arrays.toString(ok));

      int[] wrong = batch.answers().clone();
      for (int i = 0; i < wrong.length; i++) {
        wrong[i] = (wrong[i] + 1) % 10;
      }
      EncodedBatch wrongAnswers =
          new EncodedBatch(batch.batchSize(), batch.length(), batch.ids(), batch.lossMask(), batch.equalsPositions(), wrong);
      assertEquals(0, count(Evaluation.correct(graph, wrongAnswers, true)));
    }
  }

  private static int count(boolean[] values) {
    int n = 0;
    for (boolean v : values) {
      n += v ? 1 : 0;
    }
    return n;
  }
}
