package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emergence.report.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainGroupCommandTest {

  @Test
  void trainLearnsAGroupTaskAndExportsItsGroup(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");
    Path export = dir.resolve("model");
    CliRun r =
        CliRun.of(
            "train",
            "--group",
            "S3",
            "--tasks",
            "PMUL,PMAX",
            "--depth",
            "1",
            "--d-model",
            "32",
            "--layers",
            "1",
            "--heads",
            "2",
            "--batch",
            "64",
            "--train-size",
            "4000",
            "--val-size",
            "100",
            "--test-size",
            "200",
            "--seed",
            "1",
            "--lr",
            "1e-2",
            "--steps",
            "500",
            "--eval-every",
            "250",
            "--threads",
            "1",
            "--no-progress",
            "--out",
            out.toString(),
            "--export",
            export.toString());
    assertEquals(0, r.status(), r.err());
    JsonNode result = Json.read(out.resolve("result.json"));
    double pmax = result.get("test_accuracy").get("PMAX").asDouble();
    double majority = result.get("majority_baseline").get("PMAX").asDouble();
    // the largest element of a flat list in lexicographic order: learned, far above always
    // answering the commonest element
    assertTrue(pmax >= 0.9 && pmax > majority + 0.3, "PMAX " + pmax + ", majority " + majority);
    JsonNode task = Json.read(export.resolve("assets.extra/task.json"));
    assertEquals("S3", task.get("group").asText());
    assertEquals("PMUL,PMAX", task.get("tasks").asText());
    assertFalse(task.has("modulus"));
    JsonNode vocabulary = Json.read(export.resolve("assets.extra/vocabulary.json"));
    assertEquals("S3", vocabulary.get("group").asText());
    assertEquals(
        "p012", vocabulary.get("tokens").get(vocabulary.get("first_number").asInt()).asText());
    assertEquals(17, vocabulary.get("tokens").size());
    assertEquals(17, task.get("model").get("vocab").asInt());
  }

  @Test
  void groupBadInputFailsInOneLine() {
    CliRun unknown = CliRun.of("train", "--group", "S5", "--steps", "10");
    assertEquals(Emergence.Cli.BAD_INPUT, unknown.status());
    assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
    CliRun digit = CliRun.of("train", "--group", "S3", "--tasks", "SUM", "--steps", "10");
    assertEquals(Emergence.Cli.BAD_INPUT, digit.status());
    assertEquals(1, digit.err().strip().lines().count(), digit.err());
    assertTrue(digit.err().contains("SUM"), digit.err());
  }
}
