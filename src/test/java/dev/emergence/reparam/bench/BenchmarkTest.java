package dev.emergence.reparam.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emergence.nn.GnnReparametrization;
import dev.emergence.reparam.method.Execution;
import dev.emergence.reparam.method.GnnStage;
import dev.emergence.reparam.method.MethodKind;
import dev.emergence.reparam.method.MethodResult;
import dev.emergence.reparam.method.OptimizerKind;
import dev.emergence.reparam.method.RunSettings;
import dev.emergence.reparam.method.Stopping;
import dev.emergence.reparam.problem.HeatProblem;
import dev.emergence.reparam.problem.KuramotoProblem;
import dev.emergence.report.Fingerprint;
import dev.emergence.report.Json;
import dev.emergence.report.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkTest {
  @TempDir Path dir;

  /** Iteration budgets decide; the wall-clock limit is far beyond anything these runs need. */
  private static BenchConfig config(long seed, List<OptimizerKind> optimizers) {
    return config(seed, optimizers, List.of());
  }

  private static BenchConfig config(
      long seed, List<OptimizerKind> optimizers, List<MethodKind> baselines) {
    return config(
        List.of("grid2d:6x4"),
        optimizers,
        baselines,
        2,
        List.of(1.0, 0.316),
        20_000,
        seed,
        new GnnReparametrization.Config(
            8, 2, GnnReparametrization.Skip.CONCAT, GnnReparametrization.Activation.TANH, seed));
  }

  private static BenchConfig config(
      List<String> graphs,
      List<OptimizerKind> optimizers,
      List<MethodKind> baselines,
      int seeds,
      List<Double> lrFactors,
      long maxIterations,
      long seed,
      GnnReparametrization.Config net) {
    GnnStage gnn = GnnStage.defaults(seed).withNet(net).withPlateau(new GnnStage.Plateau(20, 1e-4));
    return new BenchConfig(
        "heat",
        HeatProblem.Settings.DEFAULTS,
        graphs,
        optimizers,
        baselines,
        seeds,
        lrFactors,
        seed,
        new Stopping(1e-6, maxIterations, 1e6),
        gnn,
        null,
        RunSettings.STAGE2_DECAY,
        Execution.DEFAULTS,
        false);
  }

  private static Tables.Summary run(
      BenchConfig config, Path out, boolean resume, List<String> lines) {
    RunDirectory run =
        RunDirectory.open(
            out, resume ? RunDirectory.Reuse.RESUME : RunDirectory.Reuse.REFUSE, true);
    Map<String, Cells.Cell> saved = resume ? Cells.resumable(config, out) : Map.of();
    run.start(config);
    return Benchmark.run(config, run, saved, false, lines::add);
  }

  /** The columns that do not depend on the machine's speed. */
  private static List<String> deterministicColumns(Path csv) throws Exception {
    List<String> rows = Files.readAllLines(csv);
    List<String> header = Arrays.asList(rows.get(0).split(","));
    List<String> kept = new ArrayList<>();
    for (String row : rows) {
      String[] v = row.split(",", -1);
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < v.length; i++) {
        if (!header.get(i).contains("wall")
            && !header.get(i).equals("setup_s")
            && !header.get(i).startsWith("cpu")) {
          b.append(v[i]).append(',');
        }
      }
      kept.add(b.toString());
    }
    return kept;
  }

  @Test
  void benchWritesOneRowPerCellAndResumeReusesCellsWithTheSameSettings() throws Exception {
    BenchConfig config =
        config(
            0,
            List.of(OptimizerKind.SGD, OptimizerKind.ADAM),
            List.of(MethodKind.LBFGS, MethodKind.CG));
    List<String> lines = new ArrayList<>();
    run(config, dir, false, lines);
    List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
    assertEquals(1 + 4 + 2, csv.size(), String.join("\n", csv));
    assertTrue(
        csv.get(5).startsWith("grid2d:6x4,16,lbfgs,lbfgs,")
            && csv.get(5).contains(",true,reached,"),
        csv.get(5));
    assertTrue(
        csv.get(6).startsWith("grid2d:6x4,16,cg,cg,") && csv.get(6).contains(",true,reached,"),
        csv.get(6));
    String best =
        Files.readAllLines(dir.resolve("speedup.csv")).stream()
            .filter(l -> l.contains("best:"))
            .findFirst()
            .orElseThrow();
    assertEquals(Tables.SPEEDUP_HEADER.split(",").length, best.split(",", -1).length, best);
    List<String> header = Arrays.asList(Tables.SPEEDUP_HEADER.split(","));
    String[] bestRow = best.split(",", -1);
    assertEquals("best", bestRow[header.indexOf("view")], best);
    assertTrue(
        Double.parseDouble(bestRow[header.indexOf("speedup_cpu")]) > 0,
        "the CPU ratio of a GNN run that reached: " + best);
    assertEquals(
        2,
        Files.readAllLines(dir.resolve("speedup.csv")).stream()
            .filter(l -> l.contains(",same_optimizer,"))
            .count(),
        "the paper's view: sgd and adam, each on x and through the GNN");
    // GD at the edge of stability needs fewer iterations than a third of that step: chosen by
    // iterations
    assertTrue(
        csv.get(1).startsWith("grid2d:6x4,16,sgd,direct,0.250000,,true,reached,"), csv.get(1));
    assertTrue(csv.get(0).contains(",commit,fingerprint,cpu_s,"));
    assertTrue(Files.readString(dir.resolve("speedup.csv")).contains("best:"));
    assertEquals("done", Json.read(dir.resolve(RunDirectory.STATE)).get("state").asText());
    assertEquals(6, Json.read(dir.resolve(RunDirectory.RESULT)).get("cells").asInt());
    JsonNode cell =
        Json.read(
            dir.resolve("cells")
                .resolve(Cells.fileName("grid2d:6x4", OptimizerKind.SGD, MethodKind.DIRECT)));
    assertEquals(Fingerprint.of(cell.get("settings")).hash(), cell.get("fingerprint").asText());
    assertTrue(cell.hasNonNull("commit"));

    List<String> resumed = new ArrayList<>();
    run(config, dir, true, resumed);
    assertEquals(6, resumed.stream().filter(l -> l.startsWith("resumed")).count());
    assertEquals(csv, Files.readAllLines(dir.resolve("results.csv")));
  }

  @Test
  void aMethodThatReachedAtNoRateIsNotRunOnLargerGraphsOfTheSameKind() throws Exception {
    // 150 iterations: GD on both 2D grids reaches 1e-6, Adam on x does not
    BenchConfig config =
        config(
            List.of("grid2d:6x4", "grid3d:3x3x3", "grid2d:8x6"),
            List.of(OptimizerKind.SGD, OptimizerKind.ADAM),
            List.of(),
            1,
            List.of(1.0),
            150,
            0,
            new GnnReparametrization.Config(
                4, 1, GnnReparametrization.Skip.CONCAT, GnnReparametrization.Activation.TANH, 0));
    List<String> lines = new ArrayList<>();
    Tables.Summary summary = run(config, dir, false, lines);
    List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
    String adamDirect = row(csv, "grid2d:6x4,16,adam,direct,");
    assertTrue(adamDirect.contains(",false,max_iterations,"), adamDirect);
    assertTrue(
        row(csv, "grid2d:6x4,16,sgd,direct,").contains(",true,reached,"), String.join("\n", csv));
    // the other grid kind runs it; the larger 2D grid does not, and says why
    assertTrue(
        row(csv, "grid3d:3x3x3,").length() > 0
            && csv.stream()
                .anyMatch(l -> l.startsWith("grid3d:3x3x3,") && l.contains(",adam,direct,")));
    assertTrue(
        row(csv, "grid2d:8x6,,adam,direct,").contains(",false,not_run:grid2d:6x4,"),
        String.join("\n", csv));
    assertTrue(
        row(csv, "grid2d:8x6,36,sgd,direct,").contains(",true,reached,"), String.join("\n", csv));
    int notRun = (int) csv.stream().filter(l -> l.contains(",not_run:")).count();
    assertEquals(notRun, summary.skipped().size());
    assertEquals(csv.size() - 1 - notRun, summary.cells());
    assertTrue(
        lines.stream()
            .anyMatch(l -> l.contains("not run: no rate reached the tolerance on grid2d:6x4")),
        String.join("\n", lines));

    // resuming decides the same from the saved cells
    List<String> resumed = new ArrayList<>();
    run(config, dir, true, resumed);
    assertEquals(csv, Files.readAllLines(dir.resolve("results.csv")));
  }

  /**
   * Kuramoto from the full circle: with --all-seeds every cell runs all its seeds whether or not
   * the first arrived, and nothing is skipped; seeds.csv has every seed run with its vortices,
   * distribution.csv one row per cell, speedup.csv both views.
   */
  @Test
  void allSeedsRunsEverySeedAndTheTablesShowEachSeedAndBothViews() throws Exception {
    KuramotoProblem.Settings fullCircle =
        new KuramotoProblem.Settings(KuramotoProblem.HessianAt.SYNCHRONIZED, 2 * Math.PI, null);
    GnnStage gnn =
        GnnStage.defaults(0)
            .withNet(
                new GnnReparametrization.Config(
                    4,
                    1,
                    GnnReparametrization.Skip.CONCAT,
                    GnnReparametrization.Activation.TANH,
                    0))
            .withPlateau(new GnnStage.Plateau(20, 1e-4));
    BenchConfig config =
        new BenchConfig(
            "kuramoto",
            fullCircle,
            List.of("grid2d:6x5", "grid2d:7x6"),
            List.of(OptimizerKind.SGD, OptimizerKind.ADAM),
            List.of(),
            3,
            List.of(1.0),
            0,
            new Stopping(1e-6, 300, 1e6),
            gnn,
            null,
            RunSettings.STAGE2_DECAY,
            Execution.DEFAULTS,
            true);
    run(config, dir, false, new ArrayList<>());
    List<String> seeds = Files.readAllLines(dir.resolve("seeds.csv"));
    assertTrue(seeds.get(0).endsWith(",cpu_s,vortices"), seeds.get(0));
    assertEquals(
        1 + 2 * 4 * 3,
        seeds.size(),
        "every seed of every cell, reached or not:\n" + String.join("\n", seeds));
    assertTrue(
        seeds.stream().anyMatch(l -> l.contains(",false,max_iterations,")),
        "Adam on the phases does not arrive in 300 steps");
    List<String> spread = Files.readAllLines(dir.resolve("distribution.csv"));
    assertEquals(1 + 2 * 4, spread.size());
    assertTrue(
        spread.get(0).startsWith("graph,free_nodes,optimizer,method,seeds,reached_tol,"),
        spread.get(0));
    String speedup = Files.readString(dir.resolve("speedup.csv"));
    assertTrue(
        speedup.contains(",same_optimizer,sgd,sgd,")
            && speedup.contains(",same_optimizer,adam,adam,"),
        speedup);
    JsonNode cell =
        Json.read(
            dir.resolve("cells")
                .resolve(Cells.fileName("grid2d:7x6", OptimizerKind.ADAM, MethodKind.DIRECT)));
    assertTrue(cell.get("settings").get("all_seeds").asBoolean());
    assertEquals(3, cell.get("seeds").size());
    JsonNode heat =
        Json.read(Path.of("experiments/results/reparam-heat/cells/grid2d_128x128-sgd-direct.json"));
    assertTrue(
        !heat.get("settings").has("all_seeds"),
        "cells without --all-seeds have no such setting, as before");
  }

  private static String row(List<String> csv, String prefix) {
    return csv.stream().filter(l -> l.startsWith(prefix)).findFirst().orElse("");
  }

  @Test
  void theSameCommandPicksTheSameRatesAndIterations() throws Exception {
    BenchConfig config = config(0, List.of(OptimizerKind.SGD, OptimizerKind.ADAM));
    run(config, dir.resolve("a"), false, new ArrayList<>());
    run(config, dir.resolve("b"), false, new ArrayList<>());
    assertEquals(
        deterministicColumns(dir.resolve("a/results.csv")),
        deterministicColumns(dir.resolve("b/results.csv")));
  }

  @Test
  void resumingWithAnotherSeedIsRefusedNamingTheDifference() {
    run(config(0, List.of(OptimizerKind.SGD)), dir, false, new ArrayList<>());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Cells.resumable(config(5, List.of(OptimizerKind.SGD)), dir));
    assertTrue(
        e.getMessage().contains("graph_seed: 0 -> 5") && e.getMessage().contains("seed: 0 -> 5"),
        e.getMessage());
    assertTrue(e.getMessage().contains("was run with other settings"), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"));
    // another optimizer only adds cells: the saved ones still match
    assertEquals(
        2, Cells.resumable(config(0, List.of(OptimizerKind.SGD, OptimizerKind.ADAM)), dir).size());
  }

  @Test
  void aCellWithoutAFingerprintIsNotResumable() throws Exception {
    Path cells = Files.createDirectories(dir.resolve("cells"));
    String name = Cells.fileName("grid2d:6x4", OptimizerKind.SGD, MethodKind.DIRECT);
    Files.writeString(
        cells.resolve(name),
        "{\"graph\": \"grid2d:6x4\", \"optimizer\": \"sgd\", \"method\": \"direct\", \"best_lr\": 0.25}");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Cells.resumable(config(0, List.of(OptimizerKind.SGD)), dir));
    assertTrue(e.getMessage().contains("has no settings fingerprint"), e.getMessage());
  }

  /**
   * The committed reference cells: each carries a fingerprint that its saved settings hash to,
   * reads back through the record the benchmark writes, and lies in the file its graph, optimizer
   * and method name (that they resume under the commands that wrote them: {@code
   * CommittedCellsTest}).
   */
  @Test
  void committedReferenceCellsAreFingerprintedAndReadBack() throws Exception {
    Path cells = Path.of("experiments/results/reparam-heat/cells");
    List<Path> files;
    try (var list = Files.list(cells)) {
      files = list.sorted().toList();
    }
    assertTrue(!files.isEmpty());
    for (Path file : files) {
      JsonNode json = Json.read(file);
      assertEquals(
          Fingerprint.of(json.get("settings")).hash(),
          json.get("fingerprint").asText(),
          file.toString());
      Cells.Cell cell = Json.read(file, Cells.Cell.class);
      String expected =
          cell.method().firstOrder()
              ? Cells.fileName(
                  cell.graph(),
                  OptimizerKind.valueOf(cell.optimizer().toUpperCase(Locale.ROOT)),
                  cell.method())
              : Cells.fileName(cell.graph(), cell.method());
      assertEquals(file.getFileName().toString(), expected);
    }
  }

  @Test
  void reachedBeatsFewerIterationsBeatsSmallerGap() {
    MethodResult few = result(true, 10L, 9.0, 1e-7);
    MethodResult many = result(true, 20L, 1.0, 1e-7);
    MethodResult close = result(false, null, null, 1e-5);
    MethodResult far = result(false, null, null, 1e-2);
    assertTrue(
        Benchmark.better(few, many) && !Benchmark.better(many, few),
        "iterations decide, not wall time");
    assertTrue(!Benchmark.better(few, few), "a tie keeps the rate tried first");
    assertTrue(Benchmark.better(many, close) && Benchmark.better(close, far));
  }

  @Test
  void withoutAReachedRunTheBestIsTheOneStoppedSoonestSoItsLowerBoundHolds() {
    Cells.Cell gdAtItsTimeBudget = cell("sgd", stopped("sgd", 300.0, "budget_s"));
    Cells.Cell adamAtItsIterationBudget = cell("adam", stopped("adam", 96.0, "max_iterations"));
    Cells.Cell adagradDiverged = cell("adagrad", stopped("adagrad", 0.5, "diverged"));
    assertEquals(
        "adam",
        Tables.bestOf(
                List.of(gdAtItsTimeBudget, adamAtItsIterationBudget, adagradDiverged),
                MethodKind.DIRECT)
            .optimizer(),
        "the best direct run needs more than 96 s whichever it is, not more than 300 s; a diverged run bounds nothing");
    assertEquals("adagrad", Tables.bestOf(List.of(adagradDiverged), MethodKind.DIRECT).optimizer());
    Cells.Cell reached =
        cell(
            "rmsprop",
            new MethodResult(
                MethodKind.DIRECT,
                "rmsprop",
                1,
                null,
                true,
                50L,
                400.0,
                1e-7,
                50,
                400,
                0,
                null,
                null,
                null,
                false,
                "reached",
                null,
                null,
                null,
                java.util.Map.of()));
    assertEquals(
        "rmsprop",
        Tables.bestOf(List.of(adamAtItsIterationBudget, reached), MethodKind.DIRECT).optimizer(),
        "a run that reached beats any stopped one");
  }

  private static MethodResult stopped(String optimizer, double wallS, String stop) {
    return new MethodResult(
        MethodKind.DIRECT,
        optimizer,
        1,
        null,
        false,
        null,
        null,
        1e-3,
        1000,
        wallS,
        0,
        null,
        null,
        null,
        stop.equals("diverged"),
        stop,
        null,
        null,
        null,
        java.util.Map.of());
  }

  private static Cells.Cell cell(String optimizer, MethodResult median) {
    return new Cells.Cell(
        "grid2d:4x4",
        8,
        optimizer,
        MethodKind.DIRECT,
        "f",
        null,
        "c",
        1,
        null,
        List.of(),
        List.of(),
        median);
  }

  private static MethodResult result(boolean reached, Long iterations, Double wall, double gap) {
    return new MethodResult(
        MethodKind.DIRECT,
        "o",
        1,
        null,
        reached,
        iterations,
        wall,
        gap,
        20,
        2,
        0,
        null,
        0.0,
        null,
        false,
        reached ? "reached" : "max_iterations",
        null,
        null,
        null,
        java.util.Map.of());
  }
}
