package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emergence.report.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

  @Test
  void trainWritesItsRunDirectoryAndExport(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");
    Path export = dir.resolve("model");
    CliRun r =
        CliRun.of(
            "train",
            "--tasks",
            "MAX:1,MED:2",
            "--composition",
            "pure",
            "--depth",
            "2",
            "--d-model",
            "16",
            "--layers",
            "1",
            "--heads",
            "2",
            "--steps",
            "30",
            "--batch",
            "32",
            "--eval-every",
            "10",
            "--train-size",
            "2000",
            "--val-size",
            "50",
            "--test-size",
            "100",
            "--seed",
            "3",
            "--no-progress",
            "--out",
            out.toString(),
            "--export",
            export.toString());
    assertEquals(0, r.status(), r.err());
    JsonNode result = Json.read(out.resolve("result.json"));
    java.util.List<String> keys = new java.util.ArrayList<>();
    result.fieldNames().forEachRemaining(keys::add);
    assertEquals(
        java.util.List.of(
            "early_stopped",
            "export",
            "final_loss",
            "majority_baseline",
            "params",
            "plateaued",
            "steps",
            "test_accuracy",
            "tokens_per_s",
            "train_s",
            "validation_accuracy",
            "wall_s"),
        keys);
    assertEquals(30, result.get("steps").asInt());
    assertTrue(
        result.get("test_accuracy").has("overall")
            && result.get("test_accuracy").has("MAX")
            && result.get("test_accuracy").has("MED"));
    assertEquals(export.toString(), result.get("export").asText());
    assertEquals(3, Files.readAllLines(out.resolve("metrics.jsonl")).size());
    assertEquals(
        "MAX:1,MED:2", Json.read(out.resolve("config.json")).get("task").get("tasks").asText());
    assertTrue(Files.isRegularFile(export.resolve("saved_model.pb")));
    JsonNode vocabulary = Json.read(export.resolve("assets.extra/vocabulary.json"));
    assertEquals(
        "[MAX",
        vocabulary
            .get("tokens")
            .get(dev.emergence.listops.Vocabulary.operatorId(dev.emergence.listops.Operator.MAX))
            .asText());
    assertEquals(
        dev.emergence.listops.Vocabulary.FIRST_NUMBER, vocabulary.get("first_number").asInt());
    JsonNode task = Json.read(export.resolve("assets.extra/task.json"));
    assertEquals("MAX:1,MED:2", task.get("tasks").asText());
    assertEquals(16, task.get("model").get("dModel").asInt());
    assertEquals(
        Json.read(out.resolve("config.json")).get("task"),
        ((com.fasterxml.jackson.databind.node.ObjectNode) task.deepCopy())
            .without(java.util.List.of("model", "signatures")));
    assertTrue(r.out().contains("test accuracy overall="), r.out());
  }

  @Test
  void badModelShapesAndTasksFailInOneLine(@TempDir Path dir) {
    CliRun heads =
        CliRun.of("train", "--tasks", "MAX", "--d-model", "30", "--heads", "4", "--steps", "10");
    assertEquals(Emergence.Cli.BAD_INPUT, heads.status());
    assertEquals(
        "error: d_model 30 is not divisible by heads 4: each head needs d_model / heads dimensions (try d_model 32)",
        heads.err().strip());
    Path out = dir.resolve("short-context");
    CliRun context =
        CliRun.of(
            "train",
            "--tasks",
            "MAX",
            "--context",
            "8",
            "--steps",
            "10",
            "--train-size",
            "100",
            "--val-size",
            "10",
            "--test-size",
            "10",
            "--out",
            out.toString());
    assertEquals(Emergence.Cli.BAD_INPUT, context.status());
    assertTrue(
        context.err().strip().startsWith("error: context 8 is shorter than the longest sequence"),
        context.err());
    assertFalse(Files.exists(out), "nothing written");
    CliRun op = CliRun.of("train", "--tasks", "MAX,FOO", "--steps", "10");
    assertEquals(Emergence.Cli.BAD_INPUT, op.status());
    assertTrue(op.err().startsWith("error: unknown operator 'FOO'"), op.err());
  }

  @Test
  void benchPrintsJsonLast() throws Exception {
    CliRun r =
        CliRun.of(
            "bench",
            "--layers",
            "1",
            "--d-model",
            "16",
            "--heads",
            "2",
            "--seq",
            "8",
            "--batch",
            "4",
            "--vocab",
            "11",
            "--steps",
            "3",
            "--warmup",
            "1");
    assertEquals(0, r.status(), r.err());
    String[] lines = r.out().strip().split("\n", -1);
    JsonNode json = Json.mapper().readTree(lines[lines.length - 1]);
    for (String key : new String[] {"tokens_per_s", "step_ms", "gflops", "params"}) {
      assertTrue(json.has(key), key + " in " + json);
    }
    assertEquals(
        dev.emergence.nn.GptConfig.of(11, 8, 1, 2, 16).parameterCount(),
        json.get("params").asLong());
  }

  /**
   * train --seeds 0,1 --cot: two chain-of-thought models in one stack, each with its run directory
   * and SavedModel.
   */
  @Test
  void chainOfThoughtModelsTrainInOneStack(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("stack");
    Path export = dir.resolve("models");
    CliRun r =
        CliRun.of(
            "train",
            "--seeds",
            "0,1",
            "--cot",
            "--tasks",
            "MAX",
            "--depth",
            "1",
            "--d-model",
            "8",
            "--heads",
            "1",
            "--steps",
            "20",
            "--batch",
            "16",
            "--eval-every",
            "10",
            "--train-size",
            "300",
            "--val-size",
            "20",
            "--test-size",
            "20",
            "--no-progress",
            "--no-tensorboard",
            "--out",
            out.toString(),
            "--export",
            export.toString());
    assertEquals(0, r.status(), r.err());
    JsonNode summary = Json.read(out.resolve("summary.json"));
    assertEquals(2, summary.get("models").asInt());
    for (String member : new String[] {"seed-0", "seed-1"}) {
      assertEquals(
          "done", Json.read(out.resolve(member).resolve("state.json")).get("state").asText());
      assertTrue(
          Json.read(out.resolve(member).resolve("config.json")).get("task").get("cot").asBoolean());
      assertEquals(
          out.toString(),
          Json.read(out.resolve(member).resolve("config.json")).get("stack").asText());
      assertEquals(2, Files.readAllLines(out.resolve(member).resolve("metrics.jsonl")).size());
      assertTrue(Files.isRegularFile(export.resolve(member).resolve("saved_model.pb")));
    }
    assertEquals("done", Json.read(out.resolve("state.json")).get("state").asText());
    assertFalse(Files.exists(out.resolve("checkpoint")), "the checkpoints are gone with the run");
    CliRun predicted =
        CliRun.of("predict", "--model", export.resolve("seed-1").toString(), "[MAX 1 2 ]");
    assertEquals(0, predicted.status(), predicted.err());
    assertTrue(predicted.out().contains("of 1 correct"), predicted.out());
  }

  /**
   * A model alone and a member of a stack diverge the same way: state diverged at the step, exit
   * status 1.
   */
  @Test
  void aDivergedRunEndsDivergedAloneAndInAStack(@TempDir Path dir) throws Exception {
    String[] common = {
      "--tasks",
      "MAX",
      "--depth",
      "1",
      "--d-model",
      "8",
      "--heads",
      "1",
      "--steps",
      "20",
      "--batch",
      "16",
      "--eval-every",
      "10",
      "--loss-every",
      "1",
      "--train-size",
      "300",
      "--val-size",
      "20",
      "--test-size",
      "20",
      "--no-progress",
      "--no-tensorboard"
    };
    Path alone = dir.resolve("alone");
    CliRun r =
        CliRun.of(
            concat(new String[] {"train", "--lr", "1e30", "--out", alone.toString()}, common));
    assertEquals(1, r.status(), r.err());
    assertTrue(r.err().startsWith("error: training loss became "), r.err());
    JsonNode state = Json.read(alone.resolve("state.json"));
    assertEquals("diverged", state.get("state").asText());
    assertTrue(state.get("step").asInt() <= 20, state.toString());
    assertFalse(Files.exists(alone.resolve("result.json")));

    Path stack = dir.resolve("stack");
    CliRun s =
        CliRun.of(
            concat(
                new String[] {
                  "train", "--seeds", "1", "--lr", "3e-3,1e30", "--out", stack.toString()
                },
                common));
    assertEquals(1, s.status(), s.err());
    assertTrue(
        s.err().startsWith("error: diverged: seed-0-lr-1.0E30: training loss became "), s.err());
    assertEquals(
        "done",
        Json.read(stack.resolve("seed-0-lr-0.003").resolve("state.json")).get("state").asText());
    assertEquals(
        "diverged",
        Json.read(stack.resolve("seed-0-lr-1.0E30").resolve("state.json")).get("state").asText());
    assertEquals("diverged", Json.read(stack.resolve("state.json")).get("state").asText());
    JsonNode members = Json.read(stack.resolve("summary.json")).get("members");
    assertEquals("done", members.get(0).get("state").asText());
    assertEquals("diverged", members.get(1).get("state").asText());

    CliRun resume =
        CliRun.of(concat(new String[] {"train", "--resume", "--out", alone.toString()}, common));
    assertEquals(Emergence.Cli.BAD_INPUT, resume.status());
    assertTrue(resume.err().contains("holds no checkpoint to continue from"), resume.err());
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
