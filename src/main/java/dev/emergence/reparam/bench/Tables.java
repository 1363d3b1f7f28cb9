package dev.emergence.reparam.bench;

import dev.emergence.reparam.bench.Cells.Cell;
import dev.emergence.reparam.bench.Cells.Skipped;
import dev.emergence.reparam.graph.GraphSpec;
import dev.emergence.reparam.method.MethodKind;
import dev.emergence.reparam.method.MethodResult;
import dev.emergence.reparam.run.ReparamRun;
import dev.emergence.report.AtomicFiles;
import dev.emergence.report.Plots;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A benchmark's tables and plots from its cells: results.csv (every cell), speedup.csv and the two
 * plots in both views, seeds.csv and distribution.csv ({@link Distribution}).
 *
 * <p>Two views of the GNN method: the paper's, the same optimizer through the GNN against on x (one
 * row per optimizer, {@code view} {@code same_optimizer}; {@code speedup_same_optimizer_vs_n.png}),
 * and the user's, the best GNN run against the best first-order run on x over every optimizer,
 * jacobi and nesterov included ({@code view} {@code best}; {@code speedup_vs_n.png}); L-BFGS and CG
 * beside both. Each row has the ratios of wall time, iterations and CPU time to the target.
 */
public final class Tables {
  private Tables() {}

  /**
   * What result.json of a benchmark holds: the cells in the tables, the cells not run (see {@link
   * Skipped}) and the best-against-best rows.
   */
  public record Summary(
      String problem,
      int cells,
      List<String> commits,
      List<Map<String, String>> speedups,
      List<Skipped> skipped) {}

  /** The view of a speedup.csv row. */
  static final String SAME_OPTIMIZER = "same_optimizer";

  static final String BEST = "best";

  /** results.csv (one row per cell), speedup.csv (both views), seeds.csv and distribution.csv. */
  static Summary writeTables(String problem, List<Cell> cells, List<Skipped> skipped, Path out) {
    StringBuilder results =
        new StringBuilder(
            "graph,free_nodes,optimizer,method,lr,stage2_lr,reached,stop,iterations_to_tol,wall_s_to_tol,final_gap,iterations,wall_s,setup_s,"
                + "stage_switch_iteration,max_abs_error,seeds_reached,seeds,commit,fingerprint,cpu_s,cpu_ms_per_iteration\n");
    for (Cell c : cells) {
      MethodResult m = c.median();
      long reached = c.seeds().stream().filter(r -> r.result().reached()).count();
      results
          .append(
              String.join(
                  ",",
                  c.graph(),
                  "" + c.freeNodes(),
                  c.optimizer(),
                  c.method().toString(),
                  fmt(c.bestLr()),
                  fmt(c.stage2Lr()),
                  "" + m.reached(),
                  fmt(m.stop()),
                  fmt(m.iterationsToTol()),
                  fmt(m.wallSToTol()),
                  fmt(m.finalGap()),
                  "" + m.iterations(),
                  fmt(m.wallS()),
                  fmt(m.setupS()),
                  fmt(m.stageSwitchIteration()),
                  fmt(m.maxAbsError()),
                  "" + reached,
                  "" + c.seeds().size(),
                  c.commit(),
                  c.fingerprint(),
                  fmt(m.cpuS()),
                  fmt(cpuMsPerIteration(m))))
          .append('\n');
    }
    for (Skipped k :
        skipped) { // stop "not_run:<graph>" names the smaller graph where no rate reached
      results
          .append(
              String.join(
                  ",",
                  k.graph(),
                  "",
                  k.optimizer(),
                  k.method().toString(),
                  "",
                  "",
                  "false",
                  "not_run:" + k.missedOn(),
                  "",
                  "",
                  "",
                  "0",
                  "",
                  "",
                  "",
                  "",
                  "0",
                  "0",
                  "",
                  "",
                  "",
                  ""))
          .append('\n');
    }
    AtomicFiles.write(
        out.resolve("results.csv"), results.toString().getBytes(StandardCharsets.UTF_8));

    StringBuilder speedups = new StringBuilder(SPEEDUP_HEADER + "\n");
    List<Map<String, String>> best = new ArrayList<>();
    byGraph(cells)
        .forEach(
            (graph, list) -> {
              int n = list.get(0).freeNodes();
              MethodResult lbfgs = bestOf(list, MethodKind.LBFGS);
              MethodResult cg = bestOf(list, MethodKind.CG);
              for (String optimizer : list.stream().map(Cell::optimizer).distinct().toList()) {
                Cell d = find(list, optimizer, MethodKind.DIRECT);
                Cell g = find(list, optimizer, MethodKind.GNN);
                if (d != null && g != null) {
                  speedups.append(
                      row(SAME_OPTIMIZER, graph, n, optimizer, d.median(), g.median(), lbfgs, cg));
                }
              }
              MethodResult bestDirect = bestOf(list, MethodKind.DIRECT);
              MethodResult bestGnn = bestOf(list, MethodKind.GNN);
              if (bestDirect != null && bestGnn != null) {
                String r =
                    row(
                        BEST,
                        graph,
                        n,
                        "best:" + bestDirect.optimizer() + "/" + bestGnn.optimizer(),
                        bestDirect,
                        bestGnn,
                        lbfgs,
                        cg);
                speedups.append(r);
                String[] header = SPEEDUP_HEADER.split(",", -1);
                String[] values = r.strip().split(",", -1);
                Map<String, String> m = new LinkedHashMap<>();
                for (int i = 0; i < header.length; i++) {
                  m.put(header[i], values[i]);
                }
                best.add(m);
              }
            });
    AtomicFiles.write(
        out.resolve("speedup.csv"), speedups.toString().getBytes(StandardCharsets.UTF_8));
    Distribution.write(cells, out);
    return new Summary(
        problem,
        cells.size(),
        cells.stream().map(Cell::commit).distinct().sorted().toList(),
        best,
        List.copyOf(skipped));
  }

  private static Map<String, List<Cell>> byGraph(List<Cell> cells) {
    Map<String, List<Cell>> byGraph = new LinkedHashMap<>();
    cells.forEach(c -> byGraph.computeIfAbsent(c.graph(), g -> new ArrayList<>()).add(c));
    return byGraph;
  }

  /**
   * CPU milliseconds per iteration of a run (null where CPU time was not recorded or nothing ran).
   */
  static Double cpuMsPerIteration(MethodResult m) {
    return m.cpuS() == null || m.iterations() == 0 ? null : 1e3 * m.cpuS() / m.iterations();
  }

  /**
   * The two plots, each the wall time of a method over a GNN run's, against n, per graph family:
   * speedup_vs_n.png the user's view (the best first-order run on x, L-BFGS and CG over the best
   * GNN run), speedup_same_optimizer_vs_n.png the paper's (each optimizer on x over the same
   * optimizer through the GNN). A point whose run on x stopped at its budget is a lower bound,
   * marked again.
   */
  static void plot(String problem, List<Cell> cells, Path out) {
    Map<String, SortedMap<Integer, Double>> user = new LinkedHashMap<>();
    Map<String, SortedMap<Integer, Double>> paper = new LinkedHashMap<>();
    byGraph(cells)
        .forEach(
            (graph, list) -> {
              String kind = GraphSpec.family(graph);
              int n = list.get(0).freeNodes();
              MethodResult bestGnn = bestOf(list, MethodKind.GNN);
              add(
                  user,
                  kind + ": best first-order direct / GNN",
                  n,
                  ReparamRun.Speedup.of(bestOf(list, MethodKind.DIRECT), bestGnn));
              for (MethodKind baseline : List.of(MethodKind.LBFGS, MethodKind.CG)) {
                ReparamRun.Speedup b = ReparamRun.Speedup.of(bestOf(list, baseline), bestGnn);
                if (b.wall() != null) {
                  user.computeIfAbsent(kind + ": " + baseline + " / GNN", k -> new TreeMap<>())
                      .put(n, b.wall());
                }
              }
              for (String optimizer : list.stream().map(Cell::optimizer).distinct().toList()) {
                Cell d = find(list, optimizer, MethodKind.DIRECT);
                Cell g = find(list, optimizer, MethodKind.GNN);
                if (d != null && g != null) {
                  add(
                      paper,
                      kind + ": " + optimizer + " direct / " + optimizer + " GNN",
                      n,
                      ReparamRun.Speedup.of(d.median(), g.median()));
                }
              }
            });
    save(
        user,
        problem + ": wall time to the target over the best GNN run's",
        "speedup (method / best GNN), below 1: the method wins",
        out.resolve("speedup_vs_n.png"));
    save(
        paper,
        problem + ": each optimizer on x over the same optimizer through the GNN",
        "speedup (direct / GNN, same optimizer)",
        out.resolve("speedup_same_optimizer_vs_n.png"));
  }

  /**
   * A wall-time speedup at n on a family's line, and once more on its lower-bound line when the run
   * on x stopped at its budget.
   */
  private static void add(
      Map<String, SortedMap<Integer, Double>> curves, String line, int n, ReparamRun.Speedup s) {
    if (s.wall() == null) {
      return;
    }
    curves.computeIfAbsent(line, k -> new TreeMap<>()).put(n, s.wall());
    if (s.lowerBound()) { // drawn again as its own marker, so the line stays one line per family
      curves
          .computeIfAbsent(line + ": lower bound (stopped by its budget)", k -> new TreeMap<>())
          .put(n, s.wall());
    }
  }

  private static void save(
      Map<String, SortedMap<Integer, Double>> curves, String title, String yLabel, Path file) {
    Map<String, Plots.Series> series = new LinkedHashMap<>();
    curves.forEach(
        (line, points) ->
            series.put(
                line,
                new Plots.Series(
                    points.keySet().stream().mapToDouble(Integer::doubleValue).toArray(),
                    points.values().stream().mapToDouble(Double::doubleValue).toArray())));
    if (!series.isEmpty()) {
      Plots.savePng(Plots.lines(title, "free nodes n", yLabel, series, true, true), file);
    }
  }

  static final String SPEEDUP_HEADER =
      "graph,free_nodes,optimizer,direct_iterations,gnn_iterations,direct_wall_s,gnn_wall_s,speedup_wall,"
          + "speedup_iterations,lower_bound,lbfgs_iterations,lbfgs_wall_s,cg_iterations,cg_wall_s,gnn_vs_lbfgs_wall,gnn_vs_cg_wall,"
          + "view,direct_optimizer,gnn_optimizer,direct_cpu_ms_per_iteration,gnn_cpu_ms_per_iteration,speedup_cpu";

  private static String row(
      String view,
      String graph,
      int n,
      String optimizer,
      MethodResult d,
      MethodResult g,
      MethodResult lbfgs,
      MethodResult cg) {
    ReparamRun.Speedup s = ReparamRun.Speedup.of(d, g);
    ReparamRun.Speedup vsLbfgs = ReparamRun.Speedup.of(lbfgs, g);
    ReparamRun.Speedup vsCg = ReparamRun.Speedup.of(cg, g);
    return String.join(
            ",",
            graph,
            "" + n,
            optimizer,
            fmt(d.reached() ? d.iterationsToTol() : (Object) d.iterations()),
            fmt(g.iterationsToTol()),
            fmt(d.reached() ? d.wallSToTol() : d.wallS()),
            fmt(g.wallSToTol()),
            fmt(s.wall()),
            fmt(s.iterations()),
            "" + s.lowerBound(),
            lbfgs == null ? "" : fmt(lbfgs.iterationsToTol()),
            lbfgs == null ? "" : fmt(lbfgs.wallSToTol()),
            cg == null ? "" : fmt(cg.iterationsToTol()),
            cg == null ? "" : fmt(cg.wallSToTol()),
            fmt(vsLbfgs.wall()),
            fmt(vsCg.wall()),
            view,
            d.optimizer(),
            g.optimizer(),
            fmt(cpuMsPerIteration(d)),
            fmt(cpuMsPerIteration(g)),
            fmt(s.cpu()))
        + "\n";
  }

  private static Cell find(List<Cell> list, String optimizer, MethodKind method) {
    return list.stream()
        .filter(c -> c.optimizer().equals(optimizer) && c.method() == method)
        .findFirst()
        .orElse(null);
  }

  /**
   * The best median of a method over the optimizers: by wall time to the tolerance, the study's
   * measure. When none reached it, the one stopped soonest by a budget (the best run would have
   * needed more than that, whichever optimizer it was: the lower bound that holds), a diverged one
   * only when all diverged.
   */
  static MethodResult bestOf(List<Cell> list, MethodKind method) {
    return list.stream()
        .filter(c -> c.method() == method)
        .map(Cell::median)
        .min(
            Comparator.comparingInt((MethodResult m) -> m.reached() ? 0 : m.diverged() ? 2 : 1)
                .thenComparingDouble(m -> m.reached() ? m.wallSToTol() : m.wallS()))
        .orElse(null);
  }

  static String fmt(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Double d) {
      return String.format(Locale.ROOT, "%.6g", d);
    }
    return v.toString();
  }
}
