package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.capacity.CellResult;
import dev.emergence.capacity.SweepGrid;
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
 * {@code sweep --group}: a tiny S3 sweep runs, resumes, shards and merges, and its results.csv
 * names the group; digit sweeps keep their keys, fingerprints and results.csv columns, so the
 * committed ones still resume and re-analyze.
 */
class SweepGroupCommandTest {
  private static CliRun sweep(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "sweep",
                "--group",
                "S3",
                "--mixes",
                "PMAX;PMUL,PMAX",
                "--d-models",
                "4,8",
                "--seeds",
                "2",
                "--steps",
                "20",
                "--eval-every",
                "10",
                "--warmup",
                "5",
                "--train-size",
                "400",
                "--val-size",
                "10",
                "--test-size",
                "20",
                "--threads",
                "1"));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  /** results.csv without wall_s and commit. */
  private static List<String> stableRows(Path dir) throws IOException {
    return Files.readAllLines(dir.resolve(SweepRun.RESULTS)).stream()
        .map(line -> line.substring(0, line.lastIndexOf(',', line.lastIndexOf(',') - 1)))
        .toList();
  }

  @Test
  void aGroupSweepRunsResumesShardsAndNamesItsGroup(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("whole");
    CliRun whole = sweep("--out", out.toString());
    assertEquals(0, whole.status(), whole.err());
    List<String> rows = stableRows(out);
    assertEquals(9, rows.size(), "8 models and a header");
    assertTrue(rows.get(0).startsWith("mix,depth,cot,modulus,group,layers,"), rows.get(0));
    assertTrue(rows.get(0).contains("acc_PMUL") && rows.get(0).contains("acc_PMAX"), rows.get(0));
    assertTrue(rows.get(1).startsWith("\"PMAX\",1,false,,S3,1,"), rows.get(1));
    assertTrue(
        Files.exists(
            out.resolve(SweepStore.CELLS)
                .resolve("PMUL+PMAX_depth1_S3_L1_loop1_h1_d8_seed1.json")));
    String thresholds = Files.readString(out.resolve(SweepRun.THRESHOLDS));
    assertTrue(thresholds.contains("\"PMUL,PMAX\"") && thresholds.contains("\"PMUL\""), thresholds);

    List<Path> files;
    try (Stream<Path> s = Files.list(out.resolve(SweepStore.CELLS))) {
      files = s.sorted().toList();
    }
    Files.delete(files.get(1));
    Files.delete(files.get(6));
    CliRun resumed = sweep("--out", out.toString(), "--resume");
    assertEquals(0, resumed.status(), resumed.err());
    assertEquals(
        6, resumed.out().lines().filter(l -> l.contains("(saved)")).count(), resumed.out());
    assertEquals(rows, stableRows(out), "the redone cells learn what they learned the first time");
    CliRun digits = CliRun.of("sweep", "--group", "S3", "--mixes", "MAX", "--steps", "20");
    assertEquals(Emergence.Cli.BAD_INPUT, digits.status());
    assertTrue(digits.err().contains("MAX is an operator of digit tasks"), digits.err());
    assertEquals(
        Emergence.Cli.BAD_INPUT,
        sweep("--out", dir.resolve("m").toString(), "--modulus", "7").status());

    for (int i = 0; i < 2; i++) {
      CliRun shard = sweep("--shard", i + "/2", "--out", dir.resolve("shard" + i).toString());
      assertEquals(0, shard.status(), shard.err());
    }
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
    assertEquals(rows.get(0), joined.get(0));
    assertEquals(
        rows.subList(1, 9).stream().sorted().toList(),
        joined.subList(1, 9).stream().sorted().toList());
    List<CellResult> read =
        SweepStore.readResultsCsv(dir.resolve("merged").resolve(SweepRun.RESULTS));
    assertEquals("S3", read.get(0).cell().group());
    assertEquals(SweepGrid.Cell.NO_MODULUS, read.get(0).cell().modulus());
    CliRun analyzed = CliRun.of("analyze", dir.resolve("merged").toString());
    assertEquals(0, analyzed.status(), analyzed.err());
    assertEquals(
        Files.readString(out.resolve(SweepRun.THRESHOLDS)),
        Files.readString(dir.resolve("merged").resolve(SweepRun.THRESHOLDS)));
  }

  @Test
  void committedDigitSweepsKeepTheirKeysFingerprintsAndColumns(@TempDir Path dir)
      throws IOException {
    // the committed 20-seed E2: its cells were saved by the sweep below (two shards, merged)
    Path run = Path.of("experiments/results/joint-training");
    List<String> args =
        List.of(
            "--mixes",
            "SUM;MAX,MED,SUM",
            "--d-models",
            "3,4,5,6,7,8,9,10,11,12,13,14,15,16,20,24",
            "--heads",
            "1",
            "--seeds",
            "20",
            "--depth",
            "1",
            "--steps",
            "9000",
            "--eval-every",
            "250",
            "--threads",
            "1",
            "--no-tensorboard");
    Sweep sweep = new Sweep();
    Emergence.Cli.commandLine(sweep).parseArgs(args.toArray(String[]::new));
    SweepStore store = new SweepStore(run);
    int found = 0;
    for (List<SweepGrid.Cell> stack : sweep.grid().shard(0, 1)) {
      for (SweepGrid.Cell cell : stack) {
        if (store.finished(cell, SweepStore.fingerprint(cell, sweep.settings())).isPresent()) {
          found++;
        }
      }
    }
    assertEquals(640, found, "every saved cell resumes under today's key and fingerprint");

    for (String results : List.of("joint-training", "learnability/map", "controls/partners")) {
      Path file = Path.of("experiments/results", results, SweepRun.RESULTS);
      Path again = dir.resolve(results.replace('/', '-') + ".csv");
      SweepStore.writeResultsCsv(SweepStore.readResultsCsv(file), again);
      assertEquals(
          Files.readString(file),
          Files.readString(again),
          results + ": results.csv rewritten byte for byte");
    }
  }
}
