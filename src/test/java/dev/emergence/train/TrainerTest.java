package dev.emergence.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.listops.Arity;
import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.Mix;
import dev.emergence.nn.GptConfig;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerTest {

  /** A 15k-parameter model learns MAX (depth 3, arity up to 3) well above the majority baseline. */
  @Test
  void smallModelLearnsMax() {
    GeneratorConfig generator = GeneratorConfig.defaults(Mix.parse("MAX")).withMaxDepth(3).withArity(Arity.parse("3"));
    ListOpsTask task = ListOpsTask.build(generator, new DatasetSpec(20_000, 300, 1000), 1, false);
    GptConfig model = GptConfig.of(task.vocab(), task.length() - 1, 1, 2, 32);
    TrainConfig train = TrainConfig.defaults(1200).withEvalEvery(100).withTarget(0.985, 2);
    List<Map<String, Object>> metrics = new ArrayList<>();
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Trainer.Result result = new Trainer(s, model, train, task, 1).run(metrics::add, false);
      double accuracy = result.testAccuracy().get("MAX");
      assertTrue(accuracy >= 0.95, "MAX test accuracy " + accuracy + " after " + result.steps() + " steps");
      assertEquals(accuracy, result.testAccuracy().get("overall"));
      assertTrue(result.majorityBaseline().get("MAX") < 0.8, "the baseline is far below: " + result.majorityBaseline());
      assertEquals(result.steps() / 100, metrics.size(), "one metrics line per evaluation");
      assertEquals(model.parameterCount(), result.params());
    }
  }

  /** Same seed and thread settings: the same losses, accuracies and weights, bit for bit. */
  @Test
  void sameSeedGivesBitIdenticalRuns() {
    float[] first = shortRun(7);
    assertArrayEquals(first, shortRun(7));
    assertTrue(!java.util.Arrays.equals(first, shortRun(8)), "another seed gives another run");
  }

  private static float[] shortRun(long seed) {
    GeneratorConfig generator = GeneratorConfig.defaults(Mix.parse("MAX:1,SUM:2")).withMaxDepth(2);
    ListOpsTask task = ListOpsTask.build(generator, new DatasetSpec(2000, 50, 50), seed, false);
    GptConfig model = GptConfig.of(task.vocab(), task.length() - 1, 2, 2, 16).withDropout(0.1);
    TrainConfig train = TrainConfig.defaults(40).withBatch(32).withEvalEvery(20).withWarmup(5);
    List<Map<String, Object>> metrics = new ArrayList<>();
    try (GraphSession s = new GraphSession(SessionConfig.cpu(2))) {
      Trainer trainer = new Trainer(s, model, train, task, seed);
      Trainer.Result result = trainer.run(metrics::add, false);
      int[] ids = task.encode(task.test().values().iterator().next()).ids();
      float[] logits = trainer.graph().logits(java.util.Arrays.copyOf(ids, 4 * (task.length() - 1)), 4, task.length() - 1);
      float[] out = java.util.Arrays.copyOf(logits, logits.length + 2);
      out[logits.length] = (float) result.finalLoss();
      out[logits.length + 1] = (float) (double) result.testAccuracy().get("overall");
      return out;
    }
  }
}
