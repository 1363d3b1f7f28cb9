package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emergence.capacity.SweepAnalysis;
import dev.emergence.capacity.SweepAnalysisTest;
import dev.emergence.capacity.SweepRun;
import dev.emergence.report.Json;
import dev.emergence.report.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** analyze: a sweep's statistics again from its results.csv, in place, without training. */
class AnalyzeCommandTest {
  @Test
  void reanalysisRewritesTheSweepsFilesAsTheSweepWroteThem(@TempDir Path dir) throws IOException {
    SweepRun.report(SweepAnalysisTest.fixture(), 0.9, dir);
    String written = Files.readString(dir.resolve(SweepRun.THRESHOLDS));
    Files.writeString(dir.resolve(SweepRun.THRESHOLDS), "{}"); // an older analysis
    CliRun run = CliRun.of("analyze", dir.toString());
    assertEquals(0, run.status(), run.err());
    assertEquals(written, Files.readString(dir.resolve(SweepRun.THRESHOLDS)));
    assertTrue(Files.size(dir.resolve(SweepAnalysis.FRACTION_PLOT)) > 1000);
    assertTrue(run.out().contains("40 models from"), run.out());
    assertTrue(
        run.out().lines().anyMatch(l -> l.startsWith("SUM    SUM ") && l.contains("MAX,SUM")),
        run.out());
    try (var files = Files.list(dir)) {
      assertFalse(
          files.anyMatch(f -> f.getFileName().toString().startsWith(".")),
          "no temporary file left behind");
    }
  }

  @Test
  void chosenPairsAndAnotherTargetAreWrittenToo(@TempDir Path dir) {
    SweepRun.report(SweepAnalysisTest.fixture(), 0.9, dir);
    CliRun run =
        CliRun.of("analyze", dir.toString(), "--compare", "MAX,SUM;SUM;SUM", "--target", "0.5");
    assertEquals(0, run.status(), run.err());
    JsonNode json = Json.read(dir.resolve(SweepRun.THRESHOLDS));
    assertEquals(1, json.get(SweepAnalysis.COMPARISONS).size());
    assertEquals("MAX,SUM", json.get(SweepAnalysis.COMPARISONS).get(0).get("a").asText());
    assertTrue(run.out().contains("target 0.5"), run.out());
  }

  @Test
  void badInputIsOneLineAndWritesNothing(@TempDir Path dir) throws IOException {
    CliRun empty = CliRun.of("analyze", dir.toString());
    assertEquals(Emergence.Cli.BAD_INPUT, empty.status());
    assertEquals(
        "error: no results.csv in "
            + dir
            + " and no curriculum runs in its subfolders: expected the --out of a sweep or a folder"
            + " of curriculum runs",
        empty.err().strip());
    SweepRun.report(SweepAnalysisTest.fixture(), 0.9, dir);
    String before = Files.readString(dir.resolve(SweepRun.THRESHOLDS));
    byte[] plotBefore = Files.readAllBytes(dir.resolve(SweepAnalysis.FRACTION_PLOT));
    Files.setLastModifiedTime(
        dir.resolve(SweepAnalysis.FRACTION_PLOT), java.nio.file.attribute.FileTime.fromMillis(0));
    CliRun unknown = CliRun.of("analyze", dir.toString(), "--compare", "SUM;MAX,MED,SUM");
    assertEquals(Emergence.Cli.BAD_INPUT, unknown.status());
    assertEquals(
        "error: --compare: no setting 'MAX,MED,SUM' in this sweep (settings: MAX,SUM; SUM)",
        unknown.err().strip());
    assertEquals(
        Emergence.Cli.BAD_INPUT, CliRun.of("analyze", dir.toString(), "--compare", "SUM").status());
    assertEquals(
        Emergence.Cli.BAD_INPUT, CliRun.of("analyze", dir.toString(), "--target", "1.5").status());
    assertEquals(before, Files.readString(dir.resolve(SweepRun.THRESHOLDS)));
    assertArrayEquals(
        plotBefore,
        Files.readAllBytes(dir.resolve(SweepAnalysis.FRACTION_PLOT)),
        "nothing written on bad input");
    assertEquals(
        0,
        Files.getLastModifiedTime(dir.resolve(SweepAnalysis.FRACTION_PLOT)).toMillis(),
        "the plot is not rewritten on bad input");
  }

  private static CliRun curriculum(Path out, int dModel, String pretrainSteps) {
    return CliRun.of(
        "curriculum",
        "--pretrain",
        "MAX",
        "--finetune",
        "MIN",
        "--pretrain-steps",
        pretrainSteps,
        "--finetune-steps",
        "60",
        "--eval-every",
        "30",
        "--warmup",
        "5",
        "--d-model",
        String.valueOf(dModel),
        "--seeds",
        "2",
        "--train-size",
        "300",
        "--val-size",
        "10",
        "--test-size",
        "20",
        "--threads",
        "1",
        "--no-tensorboard",
        "--out",
        out.toString());
  }

  @Test
  void aFolderOfCurriculumRunsIsReadAsTwoSettingsScratchFirst(@TempDir Path dir) {
    for (int d : new int[] {2, 8}) {
      CliRun run = curriculum(dir.resolve("d" + d), d, "40");
      assertEquals(0, run.status(), run.err());
    }
    double target = 0.5;
    CliRun run = CliRun.of("analyze", dir.toString(), "--target", String.valueOf(target));
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().contains("8 models (curriculum and scratch)"), run.out());
    JsonNode json = Json.read(dir.resolve(SweepRun.THRESHOLDS));
    JsonNode comparison = json.get(SweepAnalysis.COMPARISONS).get(0);
    assertEquals("MIN", comparison.get("a").asText(), "scratch first: " + comparison);
    assertEquals("MAX then MIN", comparison.get("b").asText());
    assertEquals("MIN", comparison.get("op").asText());
    for (String d : new String[] {"d2", "d8"}) {
      JsonNode result = Json.read(dir.resolve(d).resolve(RunDirectory.RESULT));
      for (String arm : new String[] {"curriculum", "scratch"}) {
        int learned = 0;
        for (JsonNode seed : result.get("seeds")) {
          learned += seed.get(arm).get("test_accuracy").get("MIN").asDouble() >= target ? 1 : 0;
        }
        String params = result.get("seeds").get(0).get(arm).get("params").asText();
        String setting = arm.equals("curriculum") ? "MAX then MIN" : "MIN";
        JsonNode counts =
            json.get(setting).get("MIN").get("transition").get("fraction_learned").get(params);
        assertEquals(learned, counts.get(0).asInt(), d + " " + arm + ": " + counts);
        assertEquals(2, counts.get(1).asInt(), d + " " + arm + ": " + counts);
      }
    }
    assertTrue(Files.isRegularFile(dir.resolve(SweepAnalysis.FRACTION_PLOT)));
  }

  @Test
  void curriculumRunsOfTwoProtocolsAreRefusedAndNothingIsWritten(@TempDir Path dir) {
    assertEquals(0, curriculum(dir.resolve("d2"), 2, "40").status());
    assertEquals(0, curriculum(dir.resolve("d4"), 4, "50").status());
    CliRun run = CliRun.of("analyze", dir.toString());
    assertEquals(Emergence.Cli.BAD_INPUT, run.status());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(
        run.err().startsWith("error: d2 and d4 are not one protocol at two sizes: pretrainSteps"),
        run.err());
    assertFalse(Files.exists(dir.resolve(SweepRun.THRESHOLDS)));
  }
}
