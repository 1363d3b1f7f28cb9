package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.capacity.SweepAnalysis;
import dev.emergence.capacity.SweepRun;
import dev.emergence.capacity.SweepStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny sweep end to end: resume after a kill, shards that partition the grid and merge to one
 * run.
 */
class SweepCommandTest {
  private static final List<String> TINY =
      List.of(
          "sweep",
          "--mixes",
          "MAX;MAX,MIN",
          "--d-models",
          "4,8",
          "--seeds",
          "2",
          "--eval-every",
          "10",
          "--warmup",
          "5",
          "--train-size",
          "400",
          "--val-size",
          "10",
          "--test-size",
          "20");

  private static CliRun sweep(String... more) {
    List<String> args = new ArrayList<>(TINY);
    args.addAll(List.of(more));
    if (!args.contains("--steps")) {
      args.addAll(List.of("--steps", "30"));
    }
    return CliRun.of(args.toArray(String[]::new));
  }

  /** results.csv without the columns that depend on when and where a cell ran. */
  private static List<String> stableRows(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve(SweepRun.RESULTS))) {
      String[] cells = line.split(",");
      out.add(String.join(",", List.of(cells).subList(0, cells.length - 2)));
    }
    return out;
  }

  @Test
  void aKilledSweepRedoesOnlyItsUnfinishedCellsAndRefusesOtherSettings(@TempDir Path dir)
      throws IOException {
    Path out = dir.resolve("sweep");
    CliRun full = sweep("--out", out.toString());
    assertEquals(0, full.status(), full.err());
    assertEquals(
        9, Files.readAllLines(out.resolve(SweepRun.RESULTS)).size(), "8 models and a header");
    List<String> before = stableRows(out);
    // a kill during the last two cells: their files were never written
    Path cells = out.resolve(SweepStore.CELLS);
    List<Path> files;
    try (Stream<Path> s = Files.list(cells)) {
      files = s.sorted().toList();
    }
    Files.delete(files.get(0));
    Files.delete(files.get(5));
    CliRun resumed = sweep("--out", out.toString(), "--resume");
    assertEquals(0, resumed.status(), resumed.err());
    assertEquals(
        6, resumed.out().lines().filter(l -> l.contains("(saved)")).count(), resumed.out());
    assertEquals(
        before, stableRows(out), "the redone cells learn exactly what they learned the first time");

    CliRun changed = sweep("--out", out.toString(), "--resume", "--steps", "31");
    assertEquals(Emergence.Cli.BAD_INPUT, changed.status());
    assertTrue(changed.err().contains("training.training.steps: 30 -> 31"), changed.err());
    CliRun again = sweep("--out", out.toString());
    assertTrue(again.err().contains("pass --resume to continue that run"), again.err());
    assertEquals(
        Emergence.Cli.BAD_INPUT, CliRun.of("sweep", "--resume").status(), "--resume needs --out");
  }

  @Test
  void shardsPartitionTheGridAndMergeToTheWholeRun(@TempDir Path dir) throws IOException {
    CliRun whole = sweep("--out", dir.resolve("whole").toString());
    assertEquals(0, whole.status(), whole.err());
    for (int i = 0; i < 2; i++) {
      CliRun shard = sweep("--shard", i + "/2", "--out", dir.resolve("shard" + i).toString());
      assertEquals(0, shard.status(), shard.err());
    }
    List<String> a = stableRows(dir.resolve("shard0"));
    List<String> b = stableRows(dir.resolve("shard1"));
    assertEquals(5, a.size(), "one of two stacks: 4 models and a header");
    assertEquals(5, b.size());
    assertFalse(a.subList(1, 5).stream().anyMatch(b::contains), "no model in both shards");
    CliRun merged =
        CliRun.of(
            "sweep",
            "--merge",
            dir.resolve("shard0").toString(),
            dir.resolve("shard1").toString(),
            "--out",
            dir.resolve("merged").toString());
    assertEquals(0, merged.status(), merged.err());
    List<String> joined = stableRows(dir.resolve("merged"));
    List<String> expected = stableRows(dir.resolve("whole"));
    assertEquals(expected.get(0), joined.get(0));
    assertEquals(
        expected.subList(1, 9).stream().sorted().toList(),
        joined.subList(1, 9).stream().sorted().toList());
    assertEquals(
        Files.readString(dir.resolve("whole").resolve(SweepRun.THRESHOLDS)),
        Files.readString(dir.resolve("merged").resolve(SweepRun.THRESHOLDS)));
    assertTrue(Files.size(dir.resolve("merged").resolve(SweepRun.PLOT)) > 1000);
    assertTrue(
        Files.size(dir.resolve("merged").resolve(SweepRun.CURVES_PLOT)) > 1000,
        "8 models: their curves are drawn");
    assertTrue(Files.size(dir.resolve("merged").resolve(SweepAnalysis.FRACTION_PLOT)) > 1000);
    String mergedThresholds = Files.readString(dir.resolve("merged").resolve(SweepRun.THRESHOLDS));
    assertTrue(
        mergedThresholds.contains("\"transition\"") && mergedThresholds.contains("\"comparisons\""),
        mergedThresholds);
    CliRun analyzed = CliRun.of("analyze", dir.resolve("merged").toString());
    assertEquals(0, analyzed.status(), analyzed.err());
    assertEquals(
        mergedThresholds,
        Files.readString(dir.resolve("merged").resolve(SweepRun.THRESHOLDS)),
        "analyze reproduces the merged sweep's thresholds.json from its results.csv");
  }

  @Test
  void badGridsAreOneLine() {
    assertEquals(
        "error: d_model 6 is not divisible by heads 4: each head needs d_model / heads dimensions",
        CliRun.of("sweep", "--d-models", "6", "--heads", "4").err().strip());
    assertEquals(
        "error: --shard expects I/N such as 0/4, got '3'",
        CliRun.of("sweep", "--shard", "3").err().strip());
    assertEquals(
        "error: --shard 4/4: expected I/N with N >= 1 and 0 <= I < N",
        CliRun.of("sweep", "--shard", "4/4").err().strip());
    assertTrue(
        CliRun.of("sweep", "--mixes", "SUM;FOO").err().startsWith("error: unknown operator 'FOO'"));
  }

  @Test
  void aShardWithoutAStackIsRefusedBeforeAnythingIsWritten(@TempDir Path dir) {
    Path out = dir.resolve("shard1");
    assertEquals(
        "error: --shard 1/2: the grid has 1 stack (one per combination of every axis but mix and"
            + " seed), so at most 1 shard",
        CliRun.of("sweep", "--d-models", "4", "--shard", "1/2", "--out", out.toString())
            .err()
            .strip());
    assertFalse(Files.exists(out), "nothing written");
  }

  @Test
  void aTrailingSeparatorIsAnEmptyValueNotIgnored() {
    assertEquals(
        "error: --shard expects I/N such as 0/4, got '0/4/'",
        CliRun.of("sweep", "--shard", "0/4/").err().strip());
    assertEquals(
        "error: --d-models: '' is not an integer",
        CliRun.of("sweep", "--d-models", "4,8,").err().strip());
    assertEquals(
        "error: --seeds takes a count (4) or a list of seeds (0,5,9), got '0,5,'",
        CliRun.of("sweep", "--seeds", "0,5,").err().strip());
    assertTrue(CliRun.of("sweep", "--mixes", "SUM;").err().startsWith("error: empty operator mix"));
  }
}
