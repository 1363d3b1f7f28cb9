package dev.emergence.reparam.bench;

import dev.emergence.reparam.Problem;
import dev.emergence.reparam.Target;
import dev.emergence.reparam.bench.Cells.Cell;
import dev.emergence.reparam.bench.Cells.Run;
import dev.emergence.reparam.bench.Cells.Skipped;
import dev.emergence.reparam.bench.Tables.Summary;
import dev.emergence.reparam.graph.GraphSpec;
import dev.emergence.reparam.method.MethodKind;
import dev.emergence.reparam.method.MethodResult;
import dev.emergence.reparam.method.MethodRun;
import dev.emergence.reparam.method.OptimizerKind;
import dev.emergence.reparam.method.RunSettings;
import dev.emergence.reparam.problem.HeatProblem;
import dev.emergence.reparam.run.ReparamRun;
import dev.emergence.reparam.run.Targets;
import dev.emergence.report.Fingerprint;
import dev.emergence.report.Json;
import dev.emergence.report.ProgressLog;
import dev.emergence.report.Provenance;
import dev.emergence.report.RunDirectory;
import dev.emergence.report.tensorboard.ReparamLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The benchmark of one problem ({@code reparam-bench}): for every graph and optimizer, both
 * first-order methods, each with its learning rate chosen by the same search (a multiplicative grid
 * around the method's default), then repeated over seeds if it reached the tolerance; the baselines
 * once per graph.
 *
 * <p>The search picks by iterations to the tolerance, never by wall time, so the same command picks
 * the same rates on a loaded machine (wall time is measured and reported beside). A search run
 * stops as soon as it has used as many iterations as the best run so far (it cannot win), so the
 * search is exact but cheap; ties keep the rate tried first.
 *
 * <p>Each (graph, optimizer, method) cell is saved in {@code cells/} as it finishes, with the
 * {@link Fingerprint} of its settings ({@link CellSettings}) and the commit it ran at. {@code
 * resume} reuses a saved cell only when its fingerprint equals the one the command computes now
 * ({@link Cells#resumable}), and otherwise refuses, before any work, with one line naming the
 * difference. Cells from different commits stay visible in the {@code commit} column of
 * results.csv.
 */
public final class Benchmark {
  private static final Logger LOG = LogManager.getLogger(Benchmark.class);

  /** The methods whose rate a cell searches, in the order they run on each graph and optimizer. */
  static final List<MethodKind> FIRST_ORDER = List.of(MethodKind.DIRECT, MethodKind.GNN);

  private Benchmark() {}

  /**
   * Runs the benchmark into {@code run} (whose config the caller has written), reusing the {@code
   * saved} cells ({@link Cells#resumable}; empty for a fresh run). Writes results.csv and
   * speedup.csv, then result.json, then the plot, then marks the run done. With {@code
   * tensorboard}, every freshly computed cell's seed runs are replayed into {@code
   * RUN/tensorboard/CELL-seedN} (CELL the cell's file name without {@code .json}; resumed cells
   * keep what an earlier run wrote).
   */
  public static Summary run(
      BenchConfig config,
      RunDirectory run,
      Map<String, Cell> saved,
      boolean tensorboard,
      Consumer<String> progress) {
    Path out = run.root();
    Map<String, Fingerprint> planned = CellSettings.plan(config);
    ReparamRun.warmUp(
        config.settings(
            OptimizerKind.ADAM, HeatProblem.of(GraphSpec.load("grid2d:4x3", 0)), config.seed()));
    List<Cell> cells = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    Map<String, String> missedAt =
        new HashMap<>(); // graph kind|optimizer|method -> the graph where no rate reached
    try (ProgressLog log = ProgressLog.open("reparam-bench", planned.size(), "cells")) {
      for (String spec : config.graphs()) {
        Targeted problem = null; // loaded only when a cell of this graph has to run
        for (OptimizerKind kind : config.optimizers()) {
          Cell direct = null;
          for (MethodKind method : FIRST_ORDER) {
            String name = Cells.fileName(spec, kind, method);
            String ladder = GraphSpec.family(spec) + "|" + kind + "|" + method;
            Cell cell = saved.get(name);
            if (cell == null && missedAt.containsKey(ladder) && !config.allSeeds()) {
              Skipped skip = new Skipped(spec, kind.label(), method, missedAt.get(ladder));
              skipped.add(skip);
              log.finished(1, false, name + " (not run)");
              progress.accept(
                  String.format(
                      Locale.ROOT,
                      "%-18s %-8s %-6s not run: no rate reached the tolerance on %s",
                      spec,
                      kind,
                      method,
                      skip.missedOn()));
              continue;
            }
            if (cell != null) {
              progress.accept("resumed " + describe(cell));
            } else {
              problem = problem != null ? problem : targeted(config, spec, progress);
              Fresh fresh = cell(config, spec, problem, kind, method, direct, planned.get(name));
              cell = save(out, name, fresh, problem.target(), tensorboard);
              progress.accept(describe(cell));
            }
            direct = method == MethodKind.DIRECT ? cell : direct;
            if (!cell.seeds()
                .get(0)
                .result()
                .reached()) { // the first seed run is the search's best
              missedAt.putIfAbsent(ladder, spec);
            }
            cells.add(cell);
            log.finished(1, saved.containsKey(name), name);
            run.writeState("running", null, (long) cells.size());
          }
        }
        for (MethodKind baseline : config.baselines()) {
          String name = Cells.fileName(spec, baseline);
          Cell cell = saved.get(name);
          if (cell != null) {
            progress.accept("resumed " + describe(cell));
          } else {
            problem = problem != null ? problem : targeted(config, spec, progress);
            cell =
                save(
                    out,
                    name,
                    baselineCell(config, spec, problem, baseline, planned.get(name)),
                    problem.target(),
                    tensorboard);
            progress.accept(describe(cell));
          }
          cells.add(cell);
          log.finished(1, saved.containsKey(name), name);
          run.writeState("running", null, (long) cells.size());
        }
        problem = null; // let a large graph go before the next is built
      }
    }
    Summary summary = Tables.writeTables(config.problem(), cells, skipped, out);
    run.writeResult(summary);
    Tables.plot(config.problem(), cells, out);
    run.finish(summary);
    return summary;
  }

  /** A graph's problem and the target every cell of it aims at. */
  record Targeted(Problem problem, Target target) {}

  /**
   * The problem of one graph with its target: for a problem without one (homology without {@code
   * --target}), the lowest of the targets {@link Targets#find} finds with each optimizer's direct
   * method at its default rate, so that every cell of the graph aims at the same value.
   */
  static Targeted targeted(BenchConfig config, String spec, Consumer<String> progress) {
    Problem problem = config.problemSettings().create(spec, config.seed());
    var own = problem.target(config.stopping().tolerance());
    if (own.isPresent()) {
      return new Targeted(problem, own.get());
    }
    Target best = null;
    for (OptimizerKind kind : config.optimizers()) {
      Target t = Targets.find(problem, config.settings(kind, problem, config.seed())).target();
      best = best == null || t.energy() < best.energy() ? t : best;
    }
    progress.accept(
        String.format(
            Locale.ROOT,
            "%s: target energy %.6g (the direct methods' best + %.0e of its magnitude)",
            spec,
            best.energy(),
            Targets.TARGET_SLACK));
    return new Targeted(problem, best);
  }

  /** A freshly computed cell and its seed runs (with their traces, for the TensorBoard replay). */
  private record Fresh(Cell cell, List<MethodRun> seedRuns) {}

  /**
   * Writes a fresh cell to cells/ and, with {@code tensorboard}, its seed runs into
   * RUN/tensorboard/CELL-seedN.
   */
  private static Cell save(
      Path out, String fileName, Fresh fresh, Target target, boolean tensorboard) {
    Json.write(out.resolve("cells").resolve(fileName), fresh.cell());
    if (tensorboard) {
      String sub = fileName.substring(0, fileName.length() - ".json".length());
      for (int k = 0; k < fresh.seedRuns().size(); k++) {
        try (ReparamLog tb =
            ReparamLog.open(out, sub + "-seed" + fresh.cell().seeds().get(k).seed(), true)) {
          ReparamRun.replay(tb, fresh.seedRuns().get(k), target, 1000);
        }
      }
    }
    return fresh.cell();
  }

  private static String describe(Cell c) {
    MethodResult m = c.median();
    return String.format(
        Locale.ROOT,
        "%-18s %-8s %-6s lr=%-9.3g reached=%-5s iters=%-8s wall_s=%s gap=%.2e",
        c.graph(),
        c.optimizer(),
        c.method(),
        c.bestLr(),
        m.reached(),
        m.iterationsToTol(),
        m.wallSToTol() == null ? "-" : String.format(Locale.ROOT, "%.3f", m.wallSToTol()),
        m.finalGap());
  }

  /**
   * Where a first-order cell's search starts, as its fingerprint records it: the GNN rate of the
   * optimizer, or on x the optimizer's rule ({@link OptimizerKind#directRule}: for gradient descent
   * 2 / curvature bound, the edge of stability, different on each graph; for jacobi and nesterov
   * their spectrum's), else the optimizer's direct rate.
   */
  static Object anchorRule(OptimizerKind kind, MethodKind method) {
    return method == MethodKind.GNN ? (Object) kind.defaultGnnLr() : kind.directRule();
  }

  /**
   * The second stage's rate after a GNN stage with {@code kind}, as its fingerprint records it: GD,
   * jacobi and nesterov continue at the direct cell's best step (or at their own rule after another
   * optimizer's GNN stage); the adaptive methods at their stage-2 rate ({@link #stage2Rate}).
   */
  static Object stage2Rule(OptimizerKind kind, OptimizerKind stage2) {
    return stage2.rateFromCurvature()
        ? (kind == stage2 ? "best_direct_lr" : stage2.directRule())
        : stage2.defaultStage2Lr();
  }

  /**
   * {@link #stage2Rule}'s rate on a problem, {@code direct} the cell of the direct method with the
   * same optimizer (if run).
   */
  private static double stage2Rate(
      OptimizerKind kind, OptimizerKind stage2, Problem problem, Cell direct) {
    return !stage2.rateFromCurvature()
        ? stage2.defaultStage2Lr()
        : kind == stage2 && direct != null ? direct.bestLr() : stage2.defaultDirectLr(problem);
  }

  /** A baseline cell: one run per seed, no learning rate to search. */
  private static Fresh baselineCell(
      BenchConfig config,
      String spec,
      Targeted targeted,
      MethodKind method,
      Fingerprint fingerprint) {
    Problem problem = targeted.problem();
    RunSettings base = config.settings(OptimizerKind.SGD, problem, config.seed());
    List<MethodRun> runs = new ArrayList<>();
    List<Run> seeds = new ArrayList<>();
    // cg starts from x = 0 whatever the seed: one run says it all
    int count = method == MethodKind.CG ? 1 : config.seeds();
    for (int k = 0; k < count; k++) {
      RunSettings s = base.withSeed(config.seed() + k);
      MethodRun run = method.run(problem, targeted.target(), s);
      MethodResult r = run.result();
      LOG.info(
          "{} {}: {} after {} iterations ({} s), gap {}",
          spec,
          method,
          r.stop(),
          r.iterations(),
          r.wallS(),
          r.finalGap());
      runs.add(run);
      seeds.add(new Run(config.seed() + k, 0, null, s.stopping().maxIterations(), r));
    }
    MethodResult median = ReparamRun.median(seeds, Run::result).result();
    return new Fresh(
        new Cell(
            spec,
            problem.size(),
            method.toString(),
            method,
            fingerprint.hash(),
            fingerprint.settings(),
            Provenance.current().label(),
            0,
            null,
            List.of(),
            seeds,
            median),
        runs);
  }

  private static Fresh cell(
      BenchConfig config,
      String spec,
      Targeted targeted,
      OptimizerKind kind,
      MethodKind method,
      Cell direct,
      Fingerprint fingerprint) {
    Problem problem = targeted.problem();
    boolean gnn = method == MethodKind.GNN;
    RunSettings base = config.settings(kind, problem, config.seed());
    double anchor = gnn ? kind.defaultGnnLr() : kind.defaultDirectLr(problem);
    Double stage2 = gnn ? stage2Rate(kind, config.stage2Kind(kind), problem, direct) : null;
    List<Run> search = new ArrayList<>();
    Run best = null;
    MethodRun bestRun = null;
    for (double factor : config.lrFactors()) {
      double lr = anchor * factor;
      // a run that would need as many iterations as the best so far cannot win: stop it there
      long max = config.stopping().maxIterations();
      long cap =
          best != null && best.result().reached()
              ? Math.min(max, best.result().iterationsToTol())
              : max;
      RunSettings s =
          base.withRates(base.rates().withRates(lr, lr, stage2 == null ? lr : stage2))
              .withStopping(config.stopping().withMaxIterations(cap));
      MethodRun run = method.run(problem, targeted.target(), s);
      MethodResult r = run.result();
      Run saved = new Run(config.seed(), lr, stage2, cap, r);
      search.add(saved);
      LOG.info(
          "{} {} {} lr {}: {} after {} iterations ({} s), gap {}",
          spec,
          kind,
          method,
          lr,
          r.stop(),
          r.iterations(),
          r.wallS(),
          r.finalGap());
      if (best == null || better(r, best.result())) {
        best = saved;
        bestRun = run;
      }
    }
    List<Run> seeds = new ArrayList<>(List.of(best));
    List<MethodRun> runs = new ArrayList<>(List.of(bestRun));
    // Extra seeds show the spread of a winner; a cell whose best run never reached the tolerance is
    // reported from its search run alone (another full budget would only repeat the lower bound),
    // unless every seed is asked for (where arriving depends on the start).
    for (int k = 1; k < config.seeds() && (best.result().reached() || config.allSeeds()); k++) {
      RunSettings s =
          base.withRates(
                  base.rates().withRates(best.lr(), best.lr(), stage2 == null ? best.lr() : stage2))
              .withSeed(config.seed() + k);
      MethodRun run = method.run(problem, targeted.target(), s);
      runs.add(run);
      seeds.add(
          new Run(
              config.seed() + k, best.lr(), stage2, s.stopping().maxIterations(), run.result()));
    }
    MethodResult median = ReparamRun.median(seeds, Run::result).result();
    return new Fresh(
        new Cell(
            spec,
            problem.size(),
            kind.label(),
            method,
            fingerprint.hash(),
            fingerprint.settings(),
            Provenance.current().label(),
            best.lr(),
            stage2,
            search,
            seeds,
            median),
        runs);
  }

  /**
   * Reached beats not reached; then fewer iterations to tolerance (never wall time, which depends
   * on the machine's load); then, of runs that did not reach it, not diverged and a smaller final
   * gap. Ties are not better, so the rate tried first wins them.
   */
  static boolean better(MethodResult a, MethodResult b) {
    if (a.reached() != b.reached()) {
      return a.reached();
    }
    if (a.reached()) {
      return a.iterationsToTol() < b.iterationsToTol();
    }
    return !a.diverged() && (b.diverged() || a.finalGap() < b.finalGap());
  }
}
