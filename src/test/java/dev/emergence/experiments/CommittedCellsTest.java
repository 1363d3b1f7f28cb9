package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.reparam.bench.Cells;
import dev.emergence.report.Json;
import dev.emergence.report.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks committed under experiments/results/reparam-* resume as they did before their
 * cells' settings were records: the command each config.json records, parsed today, asks for every
 * saved cell with the settings it ran with (cells of format 1 read through FormatOne);
 * reparam-kuramoto's GNN cells, which ran with an earlier second stage, are refused, as they were
 * at f26d6a0.
 */
class CommittedCellsTest {
  @Test
  void everyCommittedBenchmarkResumesUnderItsRecordedCommand() throws Exception {
    List<Path> runs;
    try (Stream<Path> configs = Files.walk(Path.of("experiments/results"))) {
      runs =
          configs
              .filter(
                  p ->
                      p.getFileName().toString().equals(RunDirectory.CONFIG)
                          && p.toString().contains("reparam-"))
              .map(Path::getParent)
              .filter(dir -> Files.isDirectory(dir.resolve("cells")))
              .sorted()
              .toList();
    }
    assertTrue(runs.size() >= 4, runs.toString());
    for (Path run : runs) {
      List<String> args =
          new ArrayList<>(
              Arrays.asList(
                  Json.read(run.resolve(RunDirectory.CONFIG)).get("args").asText().split(" ")));
      assertEquals("reparam-bench", args.remove(0), run.toString());
      args.set(args.indexOf("--out") + 1, run.toString()); // recorded where it ran
      ReparamBench bench = new ReparamBench();
      Emergence.Cli.commandLine(bench).parseArgs(args.toArray(String[]::new));
      long saved;
      try (Stream<Path> cells = Files.list(run.resolve("cells"))) {
        saved = cells.count();
      }
      if (run.endsWith("reparam-kuramoto")) {
        IllegalArgumentException e =
            assertThrows(
                IllegalArgumentException.class, () -> Cells.resumable(bench.config(), run));
        assertTrue(
            e.getMessage()
                .contains(
                    "grid2d_128x128-adam-gnn.json was run with other settings (gnn.handover: \"last\" -> \"best\","
                        + " stage2.lr: 0.001 -> 5.0E-5)"),
            e.getMessage());
      } else {
        assertEquals(saved, Cells.resumable(bench.config(), run).size(), run.toString());
      }
    }
  }
}
