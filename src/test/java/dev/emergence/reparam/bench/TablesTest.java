package dev.emergence.reparam.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.reparam.method.MethodKind;
import dev.emergence.reparam.method.MethodResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * speedup.csv's two views from cells with known numbers: the same optimizer on x and through the
 * GNN (the paper's view: ratios of wall time, iterations and CPU time), and the best GNN run
 * against the best first-order run on x, jacobi and nesterov among them (the user's), L-BFGS and CG
 * beside.
 */
class TablesTest {
  @TempDir Path dir;

  private static final String GRAPH = "grid2d:4x4";

  /** A run that reached the target in {@code iterations} steps, {@code wall} s, {@code cpu} s. */
  private static MethodResult reached(
      MethodKind method, String optimizer, long iterations, double wall, double cpu) {
    return result(method, optimizer, true, iterations, wall, cpu);
  }

  private static MethodResult result(
      MethodKind method,
      String optimizer,
      boolean reached,
      long iterations,
      double wall,
      double cpu) {
    return new MethodResult(
        method,
        optimizer,
        0.1,
        null,
        reached,
        reached ? iterations : null,
        reached ? wall : null,
        reached ? 9e-7 : 1e-3,
        iterations,
        wall,
        0.01,
        null,
        null,
        null,
        false,
        reached ? "reached" : "max_iterations",
        cpu,
        null,
        null,
        Map.of());
  }

  private static Cells.Cell cell(MethodResult median) {
    return new Cells.Cell(
        GRAPH,
        8,
        median.optimizer(),
        median.method(),
        "f",
        null,
        "c",
        0.1,
        null,
        List.of(),
        List.of(),
        median);
  }

  /** speedup.csv's rows keyed by their optimizer column, each a map from header to value. */
  private Map<String, Map<String, String>> rows() throws Exception {
    List<String> lines = Files.readAllLines(dir.resolve("speedup.csv"));
    String[] header = lines.get(0).split(",", -1);
    assertEquals(Tables.SPEEDUP_HEADER, lines.get(0));
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] values = line.split(",", -1);
      assertEquals(header.length, values.length, line);
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < header.length; i++) {
        row.put(header[i], values[i]);
      }
      rows.put(row.get("view") + " " + row.get("optimizer"), row);
    }
    return rows;
  }

  private static void assertRatio(double expected, Map<String, String> row, String column) {
    assertEquals(expected, Double.parseDouble(row.get(column)), 1e-4, column + " of " + row);
  }

  @Test
  void bothViewsFromKnownNumbers() throws Exception {
    List<Cells.Cell> cells =
        List.of(
            cell(reached(MethodKind.DIRECT, "sgd", 1000, 10.0, 10.0)),
            cell(reached(MethodKind.GNN, "sgd", 100, 4.0, 5.0)),
            cell(result(MethodKind.DIRECT, "adam", false, 5000, 20.0, 20.0)),
            cell(reached(MethodKind.GNN, "adam", 50, 2.0, 2.5)),
            cell(reached(MethodKind.DIRECT, "jacobi", 200, 1.0, 1.2)),
            cell(reached(MethodKind.GNN, "jacobi", 80, 3.0, 3.0)),
            cell(reached(MethodKind.DIRECT, "nesterov", 300, 2.0, 2.0)),
            cell(reached(MethodKind.LBFGS, "lbfgs", 20, 0.5, 0.5)),
            cell(reached(MethodKind.CG, "cg", 10, 0.1, 0.1)));
    Tables.Summary summary = Tables.writeTables("heat", cells, List.of(), dir);
    Map<String, Map<String, String>> rows = rows();
    assertEquals(
        List.of(
            "same_optimizer sgd",
            "same_optimizer adam",
            "same_optimizer jacobi",
            "best best:jacobi/adam"),
        List.copyOf(rows.keySet()),
        "one paper's-view row per optimizer run both ways (nesterov has no GNN cell), then the best");

    Map<String, String> sgd = rows.get("same_optimizer sgd");
    assertRatio(2.5, sgd, "speedup_wall");
    assertRatio(10, sgd, "speedup_iterations");
    assertRatio(2, sgd, "speedup_cpu");
    assertEquals("false", sgd.get("lower_bound"));
    assertRatio(0.125, sgd, "gnn_vs_lbfgs_wall");
    assertRatio(0.025, sgd, "gnn_vs_cg_wall");

    Map<String, String> adam = rows.get("same_optimizer adam");
    assertRatio(10, adam, "speedup_wall");
    assertRatio(100, adam, "speedup_iterations");
    assertRatio(8, adam, "speedup_cpu");
    assertEquals("true", adam.get("lower_bound"), "Adam on x stopped at its budget");

    Map<String, String> jacobi = rows.get("same_optimizer jacobi");
    assertRatio(1.0 / 3, jacobi, "speedup_wall");
    assertRatio(2.5, jacobi, "speedup_iterations");
    assertRatio(0.4, jacobi, "speedup_cpu");

    Map<String, String> best = rows.get("best best:jacobi/adam");
    assertEquals("jacobi", best.get("direct_optimizer"), "the fastest run on x in wall time");
    assertEquals("adam", best.get("gnn_optimizer"), "the fastest GNN run in wall time");
    assertRatio(0.5, best, "speedup_wall");
    assertRatio(4, best, "speedup_iterations");
    assertRatio(0.48, best, "speedup_cpu");
    assertEquals("false", best.get("lower_bound"));
    assertEquals("20", best.get("lbfgs_iterations"));
    assertEquals("10", best.get("cg_iterations"));
    assertRatio(0.25, best, "gnn_vs_lbfgs_wall");
    assertRatio(0.05, best, "gnn_vs_cg_wall");
    assertEquals(List.of(best), summary.speedups(), "result.json's rows: the user's view");

    Tables.plot("heat", cells, dir);
    assertTrue(Files.size(dir.resolve("speedup_vs_n.png")) > 0);
    assertTrue(Files.size(dir.resolve("speedup_same_optimizer_vs_n.png")) > 0);
  }
}
