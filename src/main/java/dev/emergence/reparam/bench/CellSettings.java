package dev.emergence.reparam.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.emergence.optim.Lbfgs;
import dev.emergence.reparam.ProblemSettings;
import dev.emergence.reparam.method.Decay;
import dev.emergence.reparam.method.Execution;
import dev.emergence.reparam.method.GnnStage;
import dev.emergence.reparam.method.MethodKind;
import dev.emergence.reparam.method.OptimizerKind;
import dev.emergence.reparam.method.Stopping;
import dev.emergence.report.Fingerprint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting that defines a benchmark cell's numbers, and nothing else: the settings records a
 * cell's runs read, whole (so that a setting added to one of them is in every fingerprint at once),
 * and how its search picks a rate. The GNN stage and the second stage only for the GNN method, the
 * search only for first-order methods, L-BFGS's constants only for L-BFGS.
 *
 * @param graphSeed the seed of what the graph spec generates (the benchmark's seed)
 * @param seeds seed runs per cell (conjugate gradients start at x = 0 whatever the seed: one)
 * @param allSeeds true when every seed runs whatever the first reached ({@link
 *     BenchConfig#allSeeds}); null (absent from the fingerprint, as in every cell written before it
 *     existed) otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record CellSettings(
    String problem,
    ProblemSettings problemSettings,
    String graph,
    long graphSeed,
    MethodKind method,
    long seed,
    int seeds,
    Stopping stopping,
    Execution execution,
    Search search,
    GnnStage gnn,
    SecondStage stage2,
    Lbfgs.Config lbfgs,
    Boolean allSeeds) {

  /**
   * How a first-order cell picks its rate: {@code lrFactors} times the anchor (a number, or the
   * rule that gives it on each problem), the run with the fewest iterations to the target winning.
   */
  record Search(
      OptimizerKind optimizer, List<Double> lrFactors, Object lrAnchor, String selection) {}

  /**
   * The second stage: its optimizer, its rate (a number, or the rule that gives it) and its decay.
   */
  record SecondStage(OptimizerKind optimizer, Object lr, Decay decay) {}

  /**
   * The settings of one cell: a first-order method with {@code kind}, or a baseline with {@code
   * kind} null.
   */
  static CellSettings of(BenchConfig c, String spec, OptimizerKind kind, MethodKind method) {
    boolean gnn = method == MethodKind.GNN;
    Search search =
        method.firstOrder()
            ? new Search(
                kind, c.lrFactors(), Benchmark.anchorRule(kind, method), "iterations_to_tol")
            : null;
    SecondStage stage2 =
        gnn
            ? new SecondStage(
                c.stage2Kind(kind),
                Benchmark.stage2Rule(kind, c.stage2Kind(kind)),
                c.stage2Kind(kind).stage2Decay(c.stage2()))
            : null;
    return new CellSettings(
        c.problem(),
        c.problemSettings(),
        spec,
        c.seed(),
        method,
        c.seed(),
        method == MethodKind.CG ? 1 : c.seeds(),
        c.stopping(),
        c.execution(),
        search,
        gnn ? c.gnn() : null,
        stage2,
        method == MethodKind.LBFGS ? Lbfgs.Config.defaults() : null,
        (c.allSeeds() && method.firstOrder()) ? true : null);
  }

  /** The fingerprint of every cell the config asks for, by cell file name. */
  static Map<String, Fingerprint> plan(BenchConfig c) {
    Map<String, Fingerprint> planned = new LinkedHashMap<>();
    for (String spec : c.graphs()) {
      for (OptimizerKind kind : c.optimizers()) {
        for (MethodKind method : Benchmark.FIRST_ORDER) {
          planned.put(
              Cells.fileName(spec, kind, method), Fingerprint.of(of(c, spec, kind, method)));
        }
      }
      for (MethodKind baseline : c.baselines()) {
        planned.put(Cells.fileName(spec, baseline), Fingerprint.of(of(c, spec, null, baseline)));
      }
    }
    return planned;
  }
}
