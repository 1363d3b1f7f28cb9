package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emergence.report.Json;
import dev.emergence.report.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurriculumCommandTest {
  private static CliRun curriculum(Path out, String... more) {
    return transfer(out, "MAX", "MIN", more);
  }

  private static CliRun transfer(Path out, String pretrain, String finetune, String... more) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "curriculum",
                "--pretrain",
                pretrain,
                "--finetune",
                finetune,
                "--pretrain-steps",
                "20",
                "--finetune-steps",
                "30",
                "--eval-every",
                "10",
                "--warmup",
                "5",
                "--d-model",
                "8",
                "--seeds",
                "1",
                "--train-size",
                "300",
                "--val-size",
                "10",
                "--test-size",
                "20",
                "--out",
                out.toString()));
    args.addAll(java.util.List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void bothArmsTrainForTheSameTotalAndAreReported(@TempDir Path dir) {
    Path out = dir.resolve("kept");
    CliRun r = curriculum(out);
    assertEquals(0, r.status(), r.err());
    JsonNode result = Json.read(out.resolve(RunDirectory.RESULT));
    JsonNode seed = result.get("seeds").get(0);
    assertEquals(
        3, seed.get("curriculum").get("curve").size(), "30 finetuning steps, evaluated every 10");
    assertEquals(
        30,
        seed.get("curriculum").get("curve").get(0).get("step").asInt(),
        "steps count from the start of pretraining");
    assertEquals(5, seed.get("scratch").get("curve").size(), "scratch trains 50 steps");
    assertTrue(seed.get("scratch").get("test_accuracy").has("MIN"));
    assertTrue(result.get("median_test_accuracy").get("curriculum").has("MIN"));
    assertTrue(Files.isRegularFile(out.resolve("transfer.png")));
    assertFalse(
        Files.exists(out.resolve("checkpoints")), "the pretraining checkpoints are removed");
    assertEquals(0, curriculum(dir.resolve("reset"), "--reset-optimizer").status());
  }

  @Test
  void aGroupCurriculumTrainsOnItsGroupAndSaysSo(@TempDir Path dir) {
    Path out = dir.resolve("s3");
    CliRun r = transfer(out, "PMAX", "PMUL,PAT0", "--group", "S3");
    assertEquals(0, r.status(), r.err());
    JsonNode seed = Json.read(out.resolve(RunDirectory.RESULT)).get("seeds").get(0);
    assertTrue(seed.get("pretrain_test_accuracy").has("PMAX"), seed.toString());
    assertTrue(seed.get("curriculum").get("test_accuracy").has("PAT0"), seed.toString());
    JsonNode settings = Json.read(out.resolve(RunDirectory.CONFIG)).get("settings");
    assertEquals("S3", settings.get("group").asText());
    assertEquals(0, settings.get("modulus").asInt(), "a group task has no modulus: " + settings);
    CliRun digits = transfer(dir.resolve("bad"), "MAX", "PMUL", "--group", "S3");
    assertEquals(Emergence.Cli.BAD_INPUT, digits.status());
    assertEquals(1, digits.err().strip().lines().count(), digits.err());
  }
}
