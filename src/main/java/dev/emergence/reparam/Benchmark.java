package dev.emergence.reparam;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.google.common.base.Preconditions;
import dev.emergence.nn.GnnReparametrization;
import dev.emergence.report.AtomicFiles;
import dev.emergence.report.Json;
import dev.emergence.report.Plots;
import dev.emergence.session.SessionConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The benchmark of one problem ({@code reparam-bench}): for every graph and optimizer, both methods,
 * each with its learning rate chosen by the same search (a multiplicative grid around the method's
 * default, best by wall time to tolerance, else by final gap), then repeated over seeds if it reached
 * the tolerance. A search run stops as soon as it is slower than the best run so far (it cannot win),
 * so the search is exact but cheap. Each cell (graph, optimizer, method) is saved as it finishes;
 * {@code resume} skips saved cells, reading them back as the {@link Cell} they were written from.
 */
public final class Benchmark {
  private static final Logger LOG = LogManager.getLogger(Benchmark.class);

  private Benchmark() {}

  /** What the benchmark runs: {@code problem} (a {@link Problems} name) on each of {@code graphs}. */
  public record Config(
      String problem,
      List<String> graphs,
      List<OptimizerKind> optimizers,
      int seeds,
      @JsonProperty("budget_s") double budgetS,
      @JsonProperty("lr_factors") double[] lrFactors,
      double tolerance,
      long seed,
      int threads,
      GnnReparametrization.Config gnn,
      @JsonProperty("plateau_window") int plateauWindow,
      @JsonProperty("plateau_threshold") double plateauThreshold) {
    public Config {
      Problems.checkKnown(problem);
      Preconditions.checkArgument(!graphs.isEmpty(), "no graphs to benchmark");
      Preconditions.checkArgument(!optimizers.isEmpty(), "no optimizers to benchmark");
      Preconditions.checkArgument(seeds >= 1, "seeds must be at least 1, got %s", seeds);
      Preconditions.checkArgument(lrFactors.length >= 1, "the learning-rate grid is empty");
    }
  }

  /** One search or seed run, as saved. */
  public record Run(long seed, double lr, @JsonProperty("stage2_lr") Double stage2Lr, MethodResult result) {}

  /** One (graph, optimizer, method) cell, as saved in {@code cells/} and read back on resume. */
  public record Cell(
      String graph,
      @JsonProperty("free_nodes") int freeNodes,
      String optimizer,
      String method,
      @JsonProperty("best_lr") double bestLr,
      @JsonProperty("stage2_lr") Double stage2Lr,
      List<Run> search,
      List<Run> seeds,
      MethodResult median) {}

  public static void run(Config config, Path out, boolean resume, Consumer<String> progress) {
    List<Problem> problems = config.graphs().stream()
        .map(spec -> Problems.create(config.problem(), GraphSpec.load(spec, config.seed()))).toList();
    ReparamRun.warmUp(settings(config, OptimizerKind.ADAM, problems.get(0), config.seed()));
    Json.write(out.resolve("config.json"), config);
    List<Cell> cells = new ArrayList<>();
    for (int g = 0; g < problems.size(); g++) {
      String spec = config.graphs().get(g);
      Problem problem = problems.get(g);
      for (OptimizerKind kind : config.optimizers()) {
        Cell direct = null;
        for (String method : List.of("direct", "gnn")) {
          Path file = out.resolve("cells").resolve(fileName(spec, kind, method));
          Cell cell;
          if (resume && Files.exists(file)) {
            cell = Json.read(file, Cell.class);
            progress.accept("resumed " + describe(cell));
          } else {
            cell = cell(config, spec, problem, kind, method, direct);
            Json.write(file, cell);
            progress.accept(describe(cell));
          }
          direct = method.equals("direct") ? cell : direct;
          cells.add(cell);
        }
      }
    }
    writeTables(config.problem(), cells, out);
  }

  private static String describe(Cell c) {
    MethodResult m = c.median();
    return String.format(Locale.ROOT, "%-18s %-8s %-6s lr=%-9.3g reached=%-5s iters=%-8s wall_s=%s gap=%.2e",
        c.graph(), c.optimizer(), c.method(), c.bestLr(), m.reached(), m.iterationsToTol(),
        m.wallSToTol() == null ? "-" : String.format(Locale.ROOT, "%.3f", m.wallSToTol()), m.finalGap());
  }

  static String fileName(String spec, OptimizerKind kind, String method) {
    return spec.replaceAll("[^A-Za-z0-9.]+", "_") + "-" + kind.label() + "-" + method + ".json";
  }

  private static Cell cell(Config config, String spec, Problem problem, OptimizerKind kind, String method, Cell direct) {
    boolean gnn = method.equals("gnn");
    RunSettings base = settings(config, kind, problem, config.seed());
    double anchor = gnn ? kind.defaultGnnLr() : kind.defaultDirectLr(problem);
    // GD continues at the direct method's best step; the adaptive methods at their small fixed stage-2 rate
    Double stage2 = !gnn ? null : kind == OptimizerKind.SGD && direct != null ? direct.bestLr() : kind.defaultStage2Lr();
    List<Run> search = new ArrayList<>();
    Run best = null;
    for (double factor : config.lrFactors()) {
      double lr = anchor * factor;
      double budget = best != null && best.result().reached() ? Math.min(config.budgetS(), best.result().wallSToTol()) : config.budgetS();
      RunSettings s = base.withLearningRates(lr, lr, stage2 == null ? lr : stage2).withBudgetS(budget);
      MethodResult r = gnn ? Reparametrization.gnn(problem, s) : Reparametrization.direct(problem, s);
      Run run = new Run(config.seed(), lr, stage2, r);
      search.add(run);
      LOG.info("{} {} {} lr {}: reached {} in {} s, gap {}", spec, kind.label(), method, lr, r.reached(), r.wallSToTol(), r.finalGap());
      if (best == null || better(r, best.result())) {
        best = run;
      }
    }
    List<Run> seeds = new ArrayList<>(List.of(best));
    // Extra seeds show the spread of a winner; a cell whose best run never reached the tolerance is
    // reported from its search run alone (another full budget would only repeat the lower bound).
    for (int k = 1; k < config.seeds() && best.result().reached(); k++) {
      RunSettings s = base.withLearningRates(best.lr(), best.lr(), stage2 == null ? best.lr() : stage2).withSeed(config.seed() + k);
      MethodResult r = gnn ? Reparametrization.gnn(problem, s) : Reparametrization.direct(problem, s);
      seeds.add(new Run(config.seed() + k, best.lr(), stage2, r));
    }
    MethodResult median = ReparamRun.median(seeds.stream().map(Run::result).toList());
    return new Cell(spec, problem.size(), kind.label(), method, best.lr(), stage2, search, seeds, median);
  }

  /** Reached beats not reached; then less wall time to tolerance; then a smaller final gap. */
  static boolean better(MethodResult a, MethodResult b) {
    if (a.reached() != b.reached()) {
      return a.reached();
    }
    if (a.reached()) {
      return a.wallSToTol() < b.wallSToTol();
    }
    return !a.diverged() && (b.diverged() || a.finalGap() < b.finalGap());
  }

  /** The defaults with the benchmark's tolerance, budget, threads, GNN and plateau (learning rates are set per run). */
  private static RunSettings settings(Config c, OptimizerKind kind, Problem problem, long seed) {
    return RunSettings.defaults(kind, problem, seed).toBuilder()
        .tolerance(c.tolerance())
        .budgetS(c.budgetS())
        .session(SessionConfig.cpu(c.threads()))
        .gnn(c.gnn())
        .plateau(c.plateauWindow(), c.plateauThreshold())
        .build()
        .withSeed(seed);
  }

  /** results.csv (one row per cell), speedup.csv (per graph and optimizer, and best against best), the plot. */
  static void writeTables(String problem, List<Cell> cells, Path out) {
    StringBuilder results = new StringBuilder(
        "graph,free_nodes,optimizer,method,lr,stage2_lr,reached,iterations_to_tol,wall_s_to_tol,final_gap,iterations,wall_s,stage_switch_iteration,seeds_reached,seeds\n");
    for (Cell c : cells) {
      MethodResult m = c.median();
      long reached = c.seeds().stream().filter(r -> r.result().reached()).count();
      results.append(String.join(",", c.graph(), "" + c.freeNodes(), c.optimizer(), c.method(), fmt(c.bestLr()), fmt(c.stage2Lr()),
          "" + m.reached(), fmt(m.iterationsToTol()), fmt(m.wallSToTol()), fmt(m.finalGap()), "" + m.iterations(), fmt(m.wallS()),
          fmt(m.stageSwitchIteration()), "" + reached, "" + c.seeds().size())).append('\n');
    }
    AtomicFiles.write(out.resolve("results.csv"), results.toString().getBytes(StandardCharsets.UTF_8));

    Map<String, List<Cell>> byGraph = new LinkedHashMap<>();
    cells.forEach(c -> byGraph.computeIfAbsent(c.graph(), g -> new ArrayList<>()).add(c));
    StringBuilder speedups = new StringBuilder(
        "graph,free_nodes,optimizer,direct_wall_s,gnn_wall_s,speedup_wall,speedup_iterations,lower_bound\n");
    Map<String, TreeMap<Integer, Double>> curves = new LinkedHashMap<>();
    byGraph.forEach((graph, list) -> {
      int n = list.get(0).freeNodes();
      for (String optimizer : list.stream().map(Cell::optimizer).distinct().toList()) {
        Cell d = find(list, optimizer, "direct");
        Cell g = find(list, optimizer, "gnn");
        if (d != null && g != null) {
          speedups.append(row(graph, n, optimizer, d.median(), g.median()));
        }
      }
      MethodResult bestDirect = bestOf(list, "direct");
      MethodResult bestGnn = bestOf(list, "gnn");
      if (bestDirect != null && bestGnn != null) {
        speedups.append(row(graph, n, "best:" + bestDirect.optimizer() + "/" + bestGnn.optimizer(), bestDirect, bestGnn));
        ReparamRun.Speedup s = ReparamRun.Speedup.of(bestDirect, bestGnn);
        String kind = graph.substring(0, graph.indexOf(':'));
        if (s.wall() != null) {
          curves.computeIfAbsent(kind + ", wall time", k -> new TreeMap<>()).put(n, s.wall());
          curves.computeIfAbsent(kind + ", iterations", k -> new TreeMap<>()).put(n, s.iterations());
        }
      }
    });
    AtomicFiles.write(out.resolve("speedup.csv"), speedups.toString().getBytes(StandardCharsets.UTF_8));
    Map<String, Plots.Series> series = new LinkedHashMap<>();
    curves.forEach((kind, points) -> series.put(kind, new Plots.Series(
        points.keySet().stream().mapToDouble(Integer::doubleValue).toArray(),
        points.values().stream().mapToDouble(Double::doubleValue).toArray())));
    if (!series.isEmpty()) {
      Plots.savePng(Plots.lines(problem + ": speedup of the best GNN run over the best direct run, to the target", "free nodes n", "speedup (direct / GNN)", series, true, true),
          out.resolve("speedup_vs_n.png"));
    }
  }

  private static String row(String graph, int n, String optimizer, MethodResult d, MethodResult g) {
    ReparamRun.Speedup s = ReparamRun.Speedup.of(d, g);
    return String.join(",", graph, "" + n, optimizer, fmt(d.reached() ? d.wallSToTol() : d.wallS()), fmt(g.wallSToTol()),
        fmt(s.wall()), fmt(s.iterations()), "" + s.lowerBound()) + "\n";
  }

  private static Cell find(List<Cell> list, String optimizer, String method) {
    return list.stream().filter(c -> c.optimizer().equals(optimizer) && c.method().equals(method)).findFirst().orElse(null);
  }

  private static MethodResult bestOf(List<Cell> list, String method) {
    return list.stream().filter(c -> c.method().equals(method)).map(Cell::median)
        .min(Comparator.comparingDouble(m -> m.reached() ? m.wallSToTol() : Double.POSITIVE_INFINITY)).orElse(null);
  }

  private static String fmt(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Double d) {
      return String.format(Locale.ROOT, "%.6g", d);
    }
    return v.toString();
  }
}
