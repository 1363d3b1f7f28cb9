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
    TrainConfig train = TrainConfig.builder().steps(1200).evalEvery(100).target(0.985, 2).build();
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

  /** result.json's keys, as the README documents them. */
  @Test
  void resultSerializesWithTheDocumentedKeys() {
    Trainer.Result result =
        new Trainer.Result(10, 5, false, true, Map.of("overall", 0.5), Map.of("overall", 0.25), Map.of("overall", 0.5), 1.5, 2, 1, 3, null)
            .withExport(java.nio.file.Path.of("saved_models", "m"));
    com.fasterxml.jackson.databind.JsonNode json = dev.emergence.report.Json.mapper().valueToTree(result);
    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    assertEquals(
        List.of("early_stopped", "export", "final_loss", "majority_baseline", "params", "plateaued", "steps", "test_accuracy",
            "tokens_per_s", "train_s", "validation_accuracy", "wall_s"),
        keys);
    assertEquals("saved_models/m", json.get("export").asText());
    assertEquals(2.0, json.get("wall_s").asDouble());
    assertTrue(dev.emergence.report.Json.mapper().valueToTree(result.withExport(null)).get("export").isNull());
  }

  @Test
  void builderStartsFromTheDefaultsAndCopiesEveryField() {
    TrainConfig defaults = TrainConfig.defaults();
    assertEquals(defaults, defaults.toBuilder().build());
    assertEquals(dev.emergence.optim.AdamWConfig.defaults().beta2(), defaults.beta2());
    TrainConfig changed = defaults.toBuilder().steps(7).betas(0.8, 0.9).lossOn(TrainConfig.LossOn.ALL).build();
    assertEquals(changed, changed.toBuilder().build());
    assertEquals(7, changed.steps());
    assertEquals(0.9, changed.adam().beta2());
    assertEquals(defaults.batch(), changed.batch());
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
    TrainConfig train = TrainConfig.builder().steps(40).batch(32).evalEvery(20).warmupSteps(5).build();
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
