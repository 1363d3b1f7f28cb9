package dev.emergence.reparam;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.google.common.base.Preconditions;
import dev.emergence.report.AtomicFiles;
import dev.emergence.report.Plots;
import dev.emergence.report.RunDirectory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code reparam} run: the chosen methods on one heat problem over a few seeds, the exact
 * optimum, the speedup, {@code result.json}, {@code metrics.jsonl} and {@code loss_vs_time.png}.
 */
public final class HeatRun {
  private HeatRun() {}

  /** The speedup of the GNN method over the direct one; {@code lowerBound} when direct never got there. */
  public record Speedup(Double wall, Double iterations, @JsonProperty("lower_bound") boolean lowerBound) {
    public static Speedup of(MethodResult direct, MethodResult gnn) {
      if (direct == null || gnn == null || !gnn.reached()) {
        return new Speedup(null, null, false);
      }
      boolean lower = !direct.reached();
      double directWall = lower ? direct.wallS() : direct.wallSToTol();
      double directIterations = lower ? direct.iterations() : direct.iterationsToTol();
      return new Speedup(
          directWall / gnn.wallSToTol(), directIterations / Math.max(1, gnn.iterationsToTol()), lower);
    }
  }

  /** What result.json holds. {@code methods} are the median seeds; {@code perSeed} every run. */
  public record Result(
      String problem,
      String graph,
      int nodes,
      @JsonProperty("free_nodes") int freeNodes,
      int edges,
      @JsonProperty("exact_energy") double exactEnergy,
      double tolerance,
      Map<String, MethodResult> methods,
      Speedup speedup,
      @JsonProperty("per_seed") Map<String, List<MethodResult>> perSeed) {}

  /** Runs {@code methods} ("direct", "gnn") for seeds seed..seed+seeds-1 and writes the run directory. */
  public static Result run(
      GraphSpec.Loaded loaded, List<String> methods, RunSettings base, int seeds, RunDirectory out) {
    Preconditions.checkArgument(seeds >= 1, "seeds must be at least 1, got %s", seeds);
    for (String m : methods) {
      Preconditions.checkArgument(m.equals("direct") || m.equals("gnn"), "unknown method '%s'; expected direct or gnn", m);
    }
    warmUp(base);
    HeatProblem problem = HeatProblem.of(loaded);
    Reparametrization.Exact exact = Reparametrization.Exact.of(problem);
    Map<String, List<MethodResult>> perSeed = new LinkedHashMap<>();
    for (String method : methods) {
      List<MethodResult> runs = new ArrayList<>();
      for (int k = 0; k < seeds; k++) {
        RunSettings s = withSeed(base, base.seed() + k);
        MethodResult r = method.equals("gnn") ? Reparametrization.gnn(problem, exact, s) : Reparametrization.direct(problem, exact, s);
        runs.add(r);
        if (out != null) {
          logMetrics(out, r, s.seed());
        }
      }
      perSeed.put(method, runs);
    }
    Map<String, MethodResult> median = new LinkedHashMap<>();
    perSeed.forEach((m, runs) -> median.put(m, median(runs)));
    Result result =
        new Result(
            "heat",
            loaded.spec(),
            problem.graph().nodes(),
            problem.size(),
            problem.graph().edges(),
            exact.energy(),
            base.tolerance(),
            median,
            Speedup.of(median.get("direct"), median.get("gnn")),
            perSeed);
    if (out != null) {
      out.writeResult(result);
      plot(result, out.resolve("loss_vs_time.png"));
    }
    return result;
  }

  /**
   * Loads TensorFlow's native code and JIT-compiles the step loop on a tiny grid, so that neither
   * method pays the process's one-time start-up (about 1.5 s) inside its timed run.
   */
  public static void warmUp(RunSettings base) {
    HeatProblem tiny = HeatProblem.of(GraphSpec.load("grid2d:4x3", 0));
    Reparametrization.Exact exact = Reparametrization.Exact.of(tiny);
    RunSettings s = new RunSettings(base.optimizer(), 1e-3, 1e-3, 1e-3, 1e-12, 10, 20, 0, base.session(), base.gnn(),
        base.propagation(), base.gnnFloat64(), 5, 0);
    Reparametrization.direct(tiny, exact, s);
    Reparametrization.gnn(tiny, exact, s);
  }

  /**
   * The run in the middle when sorted by wall time to tolerance (runs that never got there last); of
   * an even count the slower middle one, so two seeds report the slower.
   */
  static MethodResult median(List<MethodResult> runs) {
    List<MethodResult> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingDouble(r -> r.reached() ? r.wallSToTol() : Double.POSITIVE_INFINITY));
    return sorted.get(sorted.size() / 2);
  }

  private static RunSettings withSeed(RunSettings s, long seed) {
    return new RunSettings(
        s.optimizer(), s.directLr(), s.gnnLr(), s.stage2Lr(), s.tolerance(), s.budgetS(), s.maxIterations(), seed,
        s.session(),
        new dev.emergence.nn.GnnReparametrization.Config(s.gnn().hidden(), s.gnn().layers(), s.gnn().skip(), s.gnn().activation(), seed),
        s.propagation(), s.gnnFloat64(), s.plateauWindow(), s.plateauThreshold());
  }

  private static void logMetrics(RunDirectory out, MethodResult r, long seed) {
    Trace t = r.trace();
    for (int i : t.sample(200)) {
      out.appendMetrics(Map.of("method", r.method(), "seed", seed, "iteration", t.iteration(i), "wall_s", t.seconds(i), "gap", t.gap(i)));
    }
  }

  /** Gap against wall time for the median run of each method, log y. */
  public static void plot(Result result, Path file) {
    Map<String, Plots.Series> series = new LinkedHashMap<>();
    result.methods().forEach((name, r) -> {
      Trace t = r.trace();
      int[] idx = t.sample(1500);
      List<double[]> points = new ArrayList<>();
      for (int i : idx) {
        if (t.gap(i) > 0 && Double.isFinite(t.gap(i))) {
          points.add(new double[] {t.seconds(i), t.gap(i)});
        }
      }
      if (!points.isEmpty()) {
        series.put(name + " (" + r.optimizer() + ")", new Plots.Series(
            points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray()));
      }
    });
    if (!series.isEmpty()) {
      Plots.savePng(
          Plots.lines("Heat diffusion on " + result.graph() + ": relative energy gap", "wall time (s)", "(E - E*) / E*", series, false, true),
          file);
    }
  }

  /** CSV {@code i,j,w}, one line per undirected edge, header first. */
  public static void dumpGraph(Graph graph, Path file) {
    StringBuilder csv = new StringBuilder("i,j,w\n");
    for (int k = 0; k < graph.edges(); k++) {
      csv.append(graph.from()[k]).append(',').append(graph.to()[k]).append(',').append(graph.weights()[k]).append('\n');
    }
    AtomicFiles.write(file, csv.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** CSV {@code node,value,fixed} over every node, boundary included, header first. */
  public static void dumpSolution(HeatProblem problem, double[] x, Path file) {
    double[] t = problem.temperatures(x);
    StringBuilder csv = new StringBuilder("node,value,fixed\n");
    for (int i = 0; i < t.length; i++) {
      csv.append(i).append(',').append(t[i]).append(',').append(problem.boundary().fixed()[i] ? 1 : 0).append('\n');
    }
    AtomicFiles.write(file, csv.toString().getBytes(StandardCharsets.UTF_8));
  }
}
