package dev.emergence.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.EncodedBatch;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.ListOperator;
import dev.emergence.listops.Mix;
import dev.emergence.listops.Operator;
import dev.emergence.nn.GptConfig;
import dev.emergence.optim.AdamWConfig;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EvaluationTest {

  /**
   * Each member of a stack memorizes its own 16 chains of thought and decodes each of them greedily
   * to the right answer, all members decoding together; the same rows judged against wrong answers
   * all fail.
   */
  @ParameterizedTest(name = "K = {0}")
  @ValueSource(ints = {1, 2})
  void greedyChainOfThoughtDecodingOfMemorizedChains(int k) {
    GeneratorConfig generator = GeneratorConfig.defaults(Mix.parse("MAX,SUM")).withMaxDepth(2);
    List<ListOpsTask> tasks = new ArrayList<>();
    for (int m = 0; m < k; m++) {
      tasks.add(ListOpsTask.build(generator, new DatasetSpec(16, 0, 0), 3 + m, true));
    }
    int length = tasks.stream().mapToInt(ListOpsTask::length).max().orElseThrow();
    int rows = 16;
    int[] ids = new int[k * rows * length];
    float[] mask = new float[k * rows * length];
    for (int m = 0; m < k; m++) {
      ListOpsTask task = tasks.get(m);
      int own = task.length();
      int[] memberIds = new int[rows * own];
      float[] memberMask = new float[rows * own];
      int[] all = new int[rows];
      Arrays.setAll(all, i -> i);
      task.trainBatch(
          all,
          TrainConfig.LossOn.ANSWER,
          memberIds,
          memberMask); // the chain after the first = is determined by the expression
      for (int r = 0; r < rows; r++) {
        System.arraycopy(memberIds, r * own, ids, (m * rows + r) * length, own);
        System.arraycopy(memberMask, r * own, mask, (m * rows + r) * length, own);
      }
    }
    GptConfig config = GptConfig.of(tasks.get(0).vocab(), length - 1, 2, 2, 32);
    float[] lr = new float[k];
    float[] active = new float[k];
    Arrays.fill(lr, 1e-2f);
    Arrays.fill(active, 1f);
    long[] seeds = new long[k];
    Arrays.setAll(seeds, m -> 1 + m);
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      TrainingGraph graph =
          new TrainingGraph(
              s, config, seeds, rows, length, AdamWConfig.defaults().withWeightDecay(0), 0, 7);
      float[] loss = null;
      for (int step = 0; step < 600; step++) {
        loss = graph.trainStep(ids, mask, lr, active, step % 50 == 49);
      }
      List<Map<ListOperator, EncodedBatch>> splits = new ArrayList<>();
      List<Map<ListOperator, EncodedBatch>> wrong = new ArrayList<>();
      for (int m = 0; m < k; m++) {
        assertTrue(loss[m] < 0.02, "member " + m + " memorized: loss " + loss[m]);
        EncodedBatch batch = tasks.get(m).encode(tasks.get(m).dataset().train());
        int[] answers = batch.answers().clone();
        for (int i = 0; i < answers.length; i++) {
          answers[i] = (answers[i] + 1) % 10;
        }
        splits.add(Map.of(Operator.MAX, batch));
        wrong.add(
            Map.of(
                Operator.MAX,
                new EncodedBatch(
                    batch.batchSize(),
                    batch.length(),
                    batch.ids(),
                    batch.lossMask(),
                    batch.equalsPositions(),
                    answers)));
      }
      boolean[] every = new boolean[k];
      Arrays.fill(every, true);
      // 7 rows per run: the 16 rows of each member take three chunks, the last one part empty
      List<Evaluation.Accuracy> right =
          Evaluation.evaluate(graph, tasks.get(0).tokenizer().vocabulary(), splits, every, true);
      List<Evaluation.Accuracy> none =
          Evaluation.evaluate(graph, tasks.get(0).tokenizer().vocabulary(), wrong, every, true);
      for (int m = 0; m < k; m++) {
        assertEquals(
            1.0,
            right.get(m).overall(),
            "every memorized chain of member " + m + " decodes to its answer");
        assertEquals(rows, right.get(m).examples());
        assertEquals(0.0, none.get(m).overall(), "member " + m + " against wrong answers");
      }
    }
  }
}
