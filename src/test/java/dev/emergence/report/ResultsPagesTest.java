package dev.emergence.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The study pages' tables are what bin/results-pages writes from the files beside them now. */
class ResultsPagesTest {
  private static final Path RESULTS = Path.of("experiments/results");

  @Test
  void everyCommittedPageHasTheTablesItsFilesGiveNow() throws IOException {
    List<Path> pages = ResultsPages.pages(RESULTS);
    for (Path page : pages) {
      String committed = Files.readString(page);
      assertEquals(
          committed,
          ResultsPages.generate(page, committed),
          page + " differs from its results files: run bin/results-pages and commit the page");
    }
  }

  @Test
  void everyStudyFolderHasAPageWithTables() throws IOException {
    List<Path> pages = ResultsPages.pages(RESULTS);
    try (Stream<Path> studies = Files.list(RESULTS)) {
      for (Path study : studies.filter(Files::isDirectory).toList()) {
        assertTrue(
            pages.contains(study.resolve("README.md")),
            study
                + " has no page with generated tables (README.md with a <!-- table:... --> marker)");
      }
    }
  }

  @Test
  void aTableIsReplacedAndTheProseKept(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("speedup.csv"),
        """
        graph,free_nodes,optimizer,direct_iterations,gnn_iterations,direct_wall_s,gnn_wall_s,speedup_wall,speedup_iterations,lower_bound
        grid2d:8x8,56,sgd,400,20,0.5,0.25,2.0,20.0,true
        """);
    Path page = dir.resolve("README.md");
    String text =
        "# study\nprose\n<!-- table:speedup speedup.csv -->\nstale row\n<!-- /table -->\nafter\n";
    String generated = ResultsPages.generate(page, text);
    assertTrue(
        generated.startsWith("# study\nprose\n<!-- table:speedup speedup.csv -->\n| graph |"),
        generated);
    assertTrue(
        generated.contains(
            "| grid2d:8x8 | 56 | same optimizer | sgd | 400 | 20 | 20x (at least) | 2.0x (at least) |  |"),
        generated);
    assertTrue(generated.endsWith("<!-- /table -->\nafter\n"), generated);
    assertTrue(!generated.contains("stale row"), generated);
    assertEquals(generated, ResultsPages.generate(page, generated));
  }

  @Test
  void aSettingWithABarStaysInOneCell(@TempDir Path dir) throws IOException {
    Path thresholds = dir.resolve("thresholds.json");
    Files.writeString(
        thresholds,
        """
        {"comparisons": [{"op": "SUM", "a": "SUM|modulus=7", "b": "MAX,MED,SUM|modulus=7",
          "ratio": 0.87, "ratio_ci90": [0.61, 1.25], "p_value": 0.658}]}
        """);
    String table = ResultsPages.comparisons(thresholds);
    assertTrue(
        table.contains(
            "| SUM | SUM\\|modulus=7 | MAX,MED,SUM\\|modulus=7 | 0.87 [0.61, 1.25] | 0.658 |  |"),
        table);
  }

  @Test
  void aDistributionTableCountsSeedsAndRoundsMedians(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("distribution.csv"),
        """
        graph,free_nodes,optimizer,method,seeds,reached_tol,iterations_to_tol_p50,reached_local_minimum,iterations_to_local_minimum_p50,wall_s_to_local_minimum_p50,vortices_mean,vortices_max,winding_cycles_mean
        grid2d:8x8,64,adam,gnn,10,3,289.00,9,342.00,0.355805,2.50000,6.00000,
        rrg:64:3,64,sgd,direct,10,0,,10,497.00,0.145004,,,86.3000
        """);
    String generated =
        ResultsPages.generate(
            dir.resolve("README.md"),
            "<!-- table:distribution distribution.csv -->\n<!-- /table -->\n");
    assertTrue(
        generated.contains(
            "| grid2d:8x8 | adam | gnn | 3/10 | 289 | 9/10 | 342 | 0.36 | 2.5, 6 |  |"),
        generated);
    assertTrue(
        generated.contains("| rrg:64:3 | sgd | direct | 0/10 |  | 10/10 | 497 | 0.15 |  | 86.3 |"),
        generated);
  }

  @Test
  void aGroupProbeTableReportsPmulTheSignAndTheCycleType(@TempDir Path dir) throws IOException {
    for (int seed = 0; seed < 2; seed++) {
      Path run = Files.createDirectories(dir.resolve("seed" + seed));
      Files.writeString(
          run.resolve("probe.json"),
          """
          {"models": [{"task": {"tasks": "PMUL,PSIGN", "group": "S3"}, "params": 2220,
            "ablation": {"intact": {"PMUL": %s, "PSIGN": 1.0}},
            "parity_probe_accuracy": {"embedding": %s},
            "cycle_type_probe_accuracy": {"embedding": 0.5}}]}
          """
              .formatted(seed == 0 ? "0.8" : "1.0", seed == 0 ? "1.0" : "0.5"));
    }
    String table = ResultsPages.probe(dir);
    assertTrue(table.contains("| measure | PMUL,PSIGN, 2220 params |"), table);
    assertTrue(table.contains("| PMUL accuracy | 0.90 ± 0.14 (n=2) |"), table);
    assertTrue(table.contains("| sign probe @ embedding | 0.75 ± 0.35 (n=2) |"), table);
    assertTrue(table.contains("| cycle type probe @ embedding | 0.50 ± 0.00 (n=2) |"), table);
    assertFalse(table.contains("parity probe"), table);
  }

  @Test
  void anUnclosedTableOrUnknownKindFailsInOneLine(@TempDir Path dir) {
    Path page = dir.resolve("README.md");
    IllegalArgumentException unclosed =
        assertThrows(
            IllegalArgumentException.class,
            () -> ResultsPages.generate(page, "<!-- table:command command.txt -->\ntext\n"));
    assertTrue(
        unclosed.getMessage().contains("no '<!-- /table -->' after the table marker"),
        unclosed.getMessage());
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> ResultsPages.generate(page, "<!-- table:plot x.png -->\n<!-- /table -->\n"));
    assertTrue(unknown.getMessage().startsWith("unknown table kind 'plot'"), unknown.getMessage());
  }
}
