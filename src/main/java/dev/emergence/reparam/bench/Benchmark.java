package dev.emergence.reparam.bench;

import dev.emergence.reparam.Problem;
import dev.emergence.reparam.Target;
import dev.emergence.reparam.graph.GraphSpec;
import dev.emergence.reparam.method.MethodResult;
import dev.emergence.reparam.method.OptimizerKind;
import dev.emergence.reparam.method.Propagation;
import dev.emergence.reparam.method.RunSettings;
import dev.emergence.reparam.problem.HeatProblem;
import dev.emergence.reparam.problem.ProblemSettings;
import dev.emergence.reparam.problem.Problems;
import dev.emergence.reparam.run.ReparamRun;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.base.Preconditions;
import dev.emergence.nn.GnnReparametrization;
import dev.emergence.report.AtomicFiles;
import dev.emergence.report.Fingerprint;
import dev.emergence.report.Json;
import dev.emergence.report.Plots;
import dev.emergence.report.Provenance;
import dev.emergence.report.RunDirectory;
import dev.emergence.report.tensorboard.ReparamLog;
import dev.emergence.session.SessionConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The benchmark of one problem ({@code reparam-bench}): for every graph and optimizer, both methods,
 * each with its learning rate chosen by the same search (a multiplicative grid around the method's
 * default), then repeated over seeds if it reached the tolerance.
 *
 * <p>The search picks by iterations to the tolerance, never by wall time, so the same command picks
 * the same rates on a loaded machine (wall time is measured and reported beside). A search run stops
 * as soon as it has used as many iterations as the best run so far (it cannot win), so the search is
 * exact but cheap; ties keep the rate tried first.
 *
 * <p>Each (graph, optimizer, method) cell is saved in {@code cells/} as it finishes, with the
 * {@link Fingerprint} of every setting that defines it and the commit it ran at. {@code resume} reuses
 * a saved cell only when its fingerprint equals the one the command computes now, and otherwise
 * refuses, before any work, with one line naming the difference. Cells from different commits stay
 * visible in the {@code commit} column of results.csv.
 */
public final class Benchmark {
  private static final Logger LOG = LogManager.getLogger(Benchmark.class);
  static final List<String> METHODS = List.of("direct", "gnn");
  /** Methods run once per graph, without a learning rate: L-BFGS on x, conjugate gradients. */
  public static final List<String> BASELINES = List.of("lbfgs", "cg");

  private Benchmark() {}

  /**
   * What the benchmark runs: {@code problem} (a {@link Problems} name) on each of {@code graphs}.
   *
   * @param maxIterations the iteration budget of every run (the budget that decides; deterministic)
   * @param budgetS the wall-clock budget of every run, a safety limit: a run it stops is marked {@code
   *     budget_s}
   */
  public record Config(
      String problem,
      List<String> graphs,
      List<OptimizerKind> optimizers,
      int seeds,
      @JsonProperty("budget_s") double budgetS,
      @JsonProperty("max_iterations") long maxIterations,
      @JsonProperty("lr_factors") double[] lrFactors,
      double tolerance,
      long seed,
      int threads,
      GnnReparametrization.Config gnn,
      @JsonProperty("plateau_window") int plateauWindow,
      @JsonProperty("plateau_threshold") double plateauThreshold,
      @JsonProperty("stage2_optimizer") OptimizerKind stage2Optimizer,
      @JsonProperty("stage2_patience") int stage2Patience,
      List<String> baselines,
      @JsonProperty("problem_settings") ProblemSettings problemSettings) {
    /** The heat benchmark's config, as before problem settings existed (the defaults). */
    public Config(String problem, List<String> graphs, List<OptimizerKind> optimizers, int seeds, double budgetS, long maxIterations,
        double[] lrFactors, double tolerance, long seed, int threads, GnnReparametrization.Config gnn, int plateauWindow,
        double plateauThreshold, OptimizerKind stage2Optimizer, int stage2Patience, List<String> baselines) {
      this(problem, graphs, optimizers, seeds, budgetS, maxIterations, lrFactors, tolerance, seed, threads, gnn, plateauWindow,
          plateauThreshold, stage2Optimizer, stage2Patience, baselines, ProblemSettings.defaults());
    }

    public Config {
      Preconditions.checkNotNull(problemSettings, "no problem settings given");
      Preconditions.checkArgument(stage2Patience >= 0, "--stage2-patience must be >= 0, got %s", stage2Patience);
      for (String b : baselines) {
        Preconditions.checkArgument(BASELINES.contains(b), "unknown baseline '%s'; expected some of %s", b, String.join(", ", BASELINES));
      }
      Problems.checkKnown(problem);
      Preconditions.checkArgument(!graphs.isEmpty(), "no graphs to benchmark");
      Preconditions.checkArgument(!optimizers.isEmpty(), "no optimizers to benchmark");
      Preconditions.checkArgument(seeds >= 1, "--seeds must be at least 1, got %s", seeds);
      Preconditions.checkArgument(budgetS > 0, "--budget-s must be positive, got %s", budgetS);
      Preconditions.checkArgument(maxIterations >= 1, "--max-iterations must be at least 1, got %s", maxIterations);
      Preconditions.checkArgument(lrFactors.length >= 1, "the learning-rate grid is empty");
      for (double f : lrFactors) {
        Preconditions.checkArgument(f > 0 && Double.isFinite(f), "--lr-factors must be positive and finite, got %s", f);
      }
      Preconditions.checkArgument(tolerance > 0 && tolerance < 1, "--tolerance must be in (0, 1), got %s", tolerance);
      Preconditions.checkArgument(threads >= 1, "--threads must be at least 1, got %s", threads);
      Preconditions.checkArgument(plateauWindow >= 1, "--plateau-window must be at least 1, got %s", plateauWindow);
      Preconditions.checkArgument(plateauThreshold >= 0, "--plateau-threshold must be >= 0, got %s", plateauThreshold);
      graphs.forEach(g -> Problems.checkSpec(problem, g)); // every graph (or point cloud) checked before any work
    }
  }

  /** One search or seed run, as saved; {@code maxIterations} the iteration cap it ran under. */
  public record Run(
      long seed,
      double lr,
      @JsonProperty("stage2_lr") Double stage2Lr,
      @JsonProperty("max_iterations") long maxIterations,
      MethodResult result) {}

  /**
   * One (graph, optimizer, method) cell, as saved in {@code cells/} and read back on resume: the
   * settings that define it ({@code settings}, hashed as {@code fingerprint}) and the commit it ran
   * at ({@code commit}, marked {@code -dirty} for uncommitted code).
   */
  public record Cell(
      String graph,
      @JsonProperty("free_nodes") int freeNodes,
      String optimizer,
      String method,
      String fingerprint,
      JsonNode settings,
      String commit,
      @JsonProperty("best_lr") double bestLr,
      @JsonProperty("stage2_lr") Double stage2Lr,
      List<Run> search,
      List<Run> seeds,
      MethodResult median) {}

  /**
   * A cell not run because the same optimizer and method reached the tolerance at no rate on a smaller
   * graph of the same kind ({@code missedOn}, earlier in {@code --graphs}): on larger graphs the
   * problem only gets harder, and each such cell would spend its whole budget on every rate.
   */
  public record Skipped(String graph, String optimizer, String method, @JsonProperty("missed_on") String missedOn) {}

  /**
   * What result.json of a benchmark holds: the cells in the tables, the cells not run (see {@link
   * Skipped}) and the best-against-best rows.
   */
  public record Summary(String problem, int cells, List<String> commits, List<Map<String, String>> speedups, List<Skipped> skipped) {}

  /** The kind of a graph spec, {@code grid2d} of {@code grid2d:64x64}: cells are skipped within one kind. */
  static String graphKind(String spec) {
    int colon = spec.indexOf(':');
    return colon < 0 ? spec : spec.substring(0, colon);
  }

  /** The fingerprint of every cell the config asks for, by cell file name. */
  static Map<String, Fingerprint> plan(Config config) {
    Map<String, Fingerprint> planned = new LinkedHashMap<>();
    for (String spec : config.graphs()) {
      for (OptimizerKind kind : config.optimizers()) {
        for (String method : METHODS) {
          planned.put(fileName(spec, kind, method), Fingerprint.of(cellSettings(config, spec, kind, method)));
        }
      }
      for (String baseline : config.baselines()) {
        planned.put(fileName(spec, baseline), Fingerprint.of(cellSettings(config, spec, null, baseline)));
      }
    }
    return planned;
  }

  /**
   * The cells saved at {@code out} that this config can reuse, each checked against the fingerprint
   * the config gives it now: a saved cell with other settings, or without a fingerprint (written
   * before resume checks existed), is refused with one line. Call before any work.
   */
  public static Map<String, Cell> resumable(Config config, Path out) {
    return checkSaved(out.resolve("cells"), plan(config));
  }

  /**
   * Runs the benchmark into {@code run} (whose config the caller has written), reusing the {@code
   * saved} cells ({@link #resumable}; empty for a fresh run). Writes results.csv and speedup.csv,
   * then result.json, then the plot, then marks the run done.
   */
  public static Summary run(Config config, RunDirectory run, Map<String, Cell> saved, Consumer<String> progress) {
    return run(config, run, saved, false, progress);
  }

  /**
   * As {@link #run(Config, RunDirectory, Map, Consumer)}; with {@code tensorboard}, every freshly
   * computed cell's seed runs are replayed into {@code RUN/tensorboard/CELL-seedN} (CELL the cell's
   * file name without {@code .json}; resumed cells keep what an earlier run wrote).
   */
  public static Summary run(Config config, RunDirectory run, Map<String, Cell> saved, boolean tensorboard, Consumer<String> progress) {
    Path out = run.root();
    Map<String, Fingerprint> planned = plan(config);
    ReparamRun.warmUp(settings(config, OptimizerKind.ADAM, HeatProblem.of(GraphSpec.load("grid2d:4x3", 0)), config.seed()));
    List<Cell> cells = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    Map<String, String> missedAt = new HashMap<>(); // graph kind|optimizer|method -> the graph where no rate reached
    for (String spec : config.graphs()) {
      Problem problem = null; // loaded only when a cell of this graph has to run
      for (OptimizerKind kind : config.optimizers()) {
        Cell direct = null;
        for (String method : METHODS) {
          String name = fileName(spec, kind, method);
          String ladder = graphKind(spec) + "|" + kind.label() + "|" + method;
          Cell cell = saved.get(name);
          if (cell == null && missedAt.containsKey(ladder)) {
            Skipped skip = new Skipped(spec, kind.label(), method, missedAt.get(ladder));
            skipped.add(skip);
            progress.accept(String.format(Locale.ROOT, "%-18s %-8s %-6s not run: no rate reached the tolerance on %s", spec, kind.label(), method,
                skip.missedOn()));
            continue;
          }
          if (cell != null) {
            progress.accept("resumed " + describe(cell));
          } else {
            if (problem == null) {
              problem = targeted(config, spec, progress);
            }
            cell = cell(config, spec, problem, kind, method, direct, planned.get(name));
            Json.write(out.resolve("cells").resolve(name), cell);
            replay(out, name, cell, problem.target(config.tolerance()), tensorboard);
            progress.accept(describe(cell));
          }
          direct = method.equals("direct") ? cell : direct;
          if (!cell.seeds().get(0).result().reached()) { // the first seed run is the search's best
            missedAt.putIfAbsent(ladder, spec);
          }
          cells.add(cell);
          run.writeState("running", null, (long) cells.size());
        }
      }
      for (String baseline : config.baselines()) {
        String name = fileName(spec, baseline);
        Cell cell = saved.get(name);
        if (cell != null) {
          progress.accept("resumed " + describe(cell));
        } else {
          if (problem == null) {
            problem = targeted(config, spec, progress);
          }
          cell = baselineCell(config, spec, problem, baseline, planned.get(name));
          Json.write(out.resolve("cells").resolve(name), cell);
          replay(out, name, cell, problem.target(config.tolerance()), tensorboard);
          progress.accept(describe(cell));
        }
        cells.add(cell);
        run.writeState("running", null, (long) cells.size());
      }
      problem = null; // let a large graph go before the next is built
    }
    Summary summary = writeTables(config.problem(), cells, skipped, out);
    run.writeResult(summary);
    plot(config.problem(), cells, out);
    run.finish(summary);
    return summary;
  }

  /**
   * The problem of one graph with its target: for a problem without one (homology without {@code
   * --target}), the lowest of the targets {@link ReparamRun#withTarget} finds with each optimizer's
   * direct method at its default rate, so that every cell of the graph aims at the same value.
   */
  static Problem targeted(Config config, String spec, Consumer<String> progress) {
    Problem problem = Problems.create(config.problem(), spec, config.seed(), config.problemSettings());
    if (problem.hasTarget()) {
      return problem;
    }
    Problem best = null;
    for (OptimizerKind kind : config.optimizers()) {
      ReparamRun.Targeted t = ReparamRun.withTarget(problem, settings(config, kind, problem, config.seed()));
      if (best == null || t.problem().target(config.tolerance()).energy() < best.target(config.tolerance()).energy()) {
        best = t.problem();
      }
    }
    progress.accept(String.format(Locale.ROOT, "%s: target energy %.6g (the direct methods' best + %.0e of its magnitude)", spec,
        best.target(config.tolerance()).energy(), ReparamRun.TARGET_SLACK));
    return best;
  }

  /** A fresh cell's seed runs into RUN/tensorboard/CELL-seedN. */
  private static void replay(Path out, String fileName, Cell cell, Target target, boolean tensorboard) {
    if (!tensorboard) {
      return;
    }
    String sub = fileName.substring(0, fileName.length() - ".json".length());
    for (Run r : cell.seeds()) {
      try (ReparamLog tb = ReparamLog.open(out, sub + "-seed" + r.seed(), true)) {
        ReparamRun.replay(tb, r.result(), target, 1000);
      }
    }
  }

  /**
   * The saved cells of a resumed run, each checked against the fingerprint the command computes now;
   * refuses with one line on the first cell that has none or another one.
   */
  static Map<String, Cell> checkSaved(Path cells, Map<String, Fingerprint> planned) {
    Map<String, Cell> saved = new LinkedHashMap<>();
    if (!Files.isDirectory(cells)) {
      return saved;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(cells)) {
      files = list.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + cells + ": " + e.getMessage(), e);
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      Fingerprint now = planned.get(name);
      if (now == null) {
        continue; // a cell this command does not ask for: left alone, not in the tables
      }
      JsonNode json = Json.read(file);
      Preconditions.checkArgument(
          json.hasNonNull("fingerprint") && json.hasNonNull("settings"),
          "cannot resume: %s has no settings fingerprint (written before resume checks existed); rerun it with --overwrite or choose another --out",
          file);
      Fingerprint then = Fingerprint.of(json.get("settings"));
      List<String> differences = then.differences(now);
      Preconditions.checkArgument(
          differences.isEmpty(),
          "cannot resume: %s was run with other settings (%s); rerun with --overwrite or choose another --out",
          file,
          String.join(", ", differences));
      saved.put(name, Json.read(file, Cell.class));
    }
    return saved;
  }

  /**
   * Every setting that defines a cell's numbers, and nothing else: the GNN's shape and plateau only for
   * the GNN method. The learning-rate anchor of gradient descent on x follows the problem's curvature
   * bound, recorded as that rule; the GNN's stage-2 rate for gradient descent is the direct cell's
   * best rate, a result of settings that are fingerprinted in that cell.
   */
  static Map<String, Object> cellSettings(Config c, String spec, OptimizerKind kind, String method) {
    boolean gnn = method.equals("gnn");
    Map<String, Object> s = new TreeMap<>();
    s.put("problem", c.problem());
    s.put("graph", spec);
    s.put("graph_seed", c.seed());
    s.put("method", method);
    s.put("seed", c.seed());
    s.put("tolerance", c.tolerance());
    s.put("max_iterations", c.maxIterations());
    s.put("budget_s", c.budgetS());
    s.put("threads", c.threads());
    if (!c.problem().equals("heat")) { // heat's fingerprints stay as they were, so its saved cells resume
      s.put("problem_settings", c.problemSettings());
    }
    if (BASELINES.contains(method)) {
      s.put("seeds", method.equals("cg") ? 1 : c.seeds());
      if (method.equals("lbfgs")) {
        s.put("lbfgs", dev.emergence.optim.Lbfgs.Config.defaults());
      }
      return s;
    }
    s.put("seeds", c.seeds());
    s.put("optimizer", kind.label());
    s.put("fast_step", true);
    s.put("lr_factors", c.lrFactors());
    s.put("lr_anchor", gnn ? (Object) kind.defaultGnnLr() : kind == OptimizerKind.SGD ? "2/curvature_bound" : kind.defaultDirectLr());
    s.put("selection", "iterations_to_tol");
    if (gnn) {
      OptimizerKind stage2 = stage2Kind(c, kind);
      s.put("stage2_optimizer", stage2.label());
      s.put("stage2_lr", stage2 == OptimizerKind.SGD ? (kind == OptimizerKind.SGD ? "best_direct_lr" : "2/curvature_bound") : stage2.defaultStage2Lr());
      s.put("stage2_patience", c.stage2Patience());
      s.put("handover", RunSettings.DEFAULT_HANDOVER);
      s.put("gnn", c.gnn());
      s.put("gnn_start", "best_constant");
      s.put("propagation", Propagation.GCN.name().toLowerCase(Locale.ROOT));
      s.put("gnn_float64", false);
      s.put("plateau_window", c.plateauWindow());
      s.put("plateau_threshold", c.plateauThreshold());
    }
    return s;
  }

  private static OptimizerKind stage2Kind(Config c, OptimizerKind kind) {
    return c.stage2Optimizer() == null ? kind : c.stage2Optimizer();
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

  /** The file of a baseline cell (no optimizer): {@code grid2d_64x64-lbfgs.json}. */
  static String fileName(String spec, String baseline) {
    return spec.replaceAll("[^A-Za-z0-9.]+", "_") + "-" + baseline + ".json";
  }

  /** A baseline cell: one run per seed, no learning rate to search. */
  private static Cell baselineCell(Config config, String spec, Problem problem, String method, Fingerprint fingerprint) {
    RunSettings base = settings(config, OptimizerKind.SGD, problem, config.seed());
    List<Run> seeds = new ArrayList<>();
    // cg starts from x = 0 whatever the seed: one run says it all
    int count = method.equals("cg") ? 1 : config.seeds();
    for (int k = 0; k < count; k++) {
      RunSettings s = base.withSeed(config.seed() + k);
      MethodResult r = ReparamRun.runMethod(method, problem, s);
      LOG.info("{} {}: {} after {} iterations ({} s), gap {}", spec, method, r.stop(), r.iterations(), r.wallS(), r.finalGap());
      seeds.add(new Run(config.seed() + k, 0, null, s.maxIterations(), r));
    }
    MethodResult median = ReparamRun.median(seeds.stream().map(Run::result).toList());
    return new Cell(spec, problem.size(), method, method, fingerprint.hash(), fingerprint.settings(),
        Provenance.current().label(), 0, null, List.of(), seeds, median);
  }

  private static Cell cell(
      Config config, String spec, Problem problem, OptimizerKind kind, String method, Cell direct, Fingerprint fingerprint) {
    boolean gnn = method.equals("gnn");
    RunSettings base = settings(config, kind, problem, config.seed());
    double anchor = gnn ? kind.defaultGnnLr() : kind.defaultDirectLr(problem);
    // GD continues at the direct method's best step (or at 2 / curvature bound after another optimizer's
    // GNN stage); the adaptive methods at their stage-2 rate
    OptimizerKind stage2Kind = stage2Kind(config, kind);
    Double stage2 = !gnn ? null
        : stage2Kind == OptimizerKind.SGD ? (kind == OptimizerKind.SGD && direct != null ? direct.bestLr() : OptimizerKind.SGD.defaultDirectLr(problem))
        : stage2Kind.defaultStage2Lr();
    List<Run> search = new ArrayList<>();
    Run best = null;
    for (double factor : config.lrFactors()) {
      double lr = anchor * factor;
      // a run that would need as many iterations as the best so far cannot win: stop it there
      long cap = best != null && best.result().reached() ? Math.min(config.maxIterations(), best.result().iterationsToTol()) : config.maxIterations();
      RunSettings s = base.withLearningRates(lr, lr, stage2 == null ? lr : stage2).toBuilder().maxIterations(cap).build();
      MethodResult r = ReparamRun.runMethod(method, problem, s);
      Run run = new Run(config.seed(), lr, stage2, cap, r);
      search.add(run);
      LOG.info("{} {} {} lr {}: {} after {} iterations ({} s), gap {}", spec, kind.label(), method, lr, r.stop(), r.iterations(), r.wallS(), r.finalGap());
      if (best == null || better(r, best.result())) {
        best = run;
      }
    }
    List<Run> seeds = new ArrayList<>(List.of(best));
    // Extra seeds show the spread of a winner; a cell whose best run never reached the tolerance is
    // reported from its search run alone (another full budget would only repeat the lower bound).
    for (int k = 1; k < config.seeds() && best.result().reached(); k++) {
      RunSettings s = base.withLearningRates(best.lr(), best.lr(), stage2 == null ? best.lr() : stage2).withSeed(config.seed() + k);
      MethodResult r = ReparamRun.runMethod(method, problem, s);
      seeds.add(new Run(config.seed() + k, best.lr(), stage2, s.maxIterations(), r));
    }
    MethodResult median = ReparamRun.median(seeds.stream().map(Run::result).toList());
    return new Cell(spec, problem.size(), kind.label(), method, fingerprint.hash(), fingerprint.settings(),
        Provenance.current().label(), best.lr(), stage2, search, seeds, median);
  }

  /**
   * Reached beats not reached; then fewer iterations to tolerance (never wall time, which depends on
   * the machine's load); then, of runs that did not reach it, not diverged and a smaller final gap.
   * Ties are not better, so the rate tried first wins them.
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

  /** The defaults with the benchmark's tolerance, budgets, threads, GNN and plateau (learning rates are set per run). */
  private static RunSettings settings(Config c, OptimizerKind kind, Problem problem, long seed) {
    return RunSettings.defaults(kind, problem, seed).toBuilder()
        .tolerance(c.tolerance())
        .budgetS(c.budgetS())
        .maxIterations(c.maxIterations())
        .session(SessionConfig.cpu(c.threads()))
        .gnn(c.gnn())
        .plateau(c.plateauWindow(), c.plateauThreshold())
        .stage2Optimizer(stage2Kind(c, kind))
        .stage2Patience(c.stage2Patience())
        .build()
        .withSeed(seed);
  }

  /** results.csv (one row per cell) and speedup.csv (per graph and optimizer, and best against best). */
  static Summary writeTables(String problem, List<Cell> cells, List<Skipped> skipped, Path out) {
    StringBuilder results = new StringBuilder(
        "graph,free_nodes,optimizer,method,lr,stage2_lr,reached,stop,iterations_to_tol,wall_s_to_tol,final_gap,iterations,wall_s,setup_s,"
            + "stage_switch_iteration,max_abs_error,seeds_reached,seeds,commit,fingerprint\n");
    for (Cell c : cells) {
      MethodResult m = c.median();
      long reached = c.seeds().stream().filter(r -> r.result().reached()).count();
      results.append(String.join(",", c.graph(), "" + c.freeNodes(), c.optimizer(), c.method(), fmt(c.bestLr()), fmt(c.stage2Lr()),
          "" + m.reached(), fmt(m.stop()), fmt(m.iterationsToTol()), fmt(m.wallSToTol()), fmt(m.finalGap()), "" + m.iterations(), fmt(m.wallS()),
          fmt(m.setupS()), fmt(m.stageSwitchIteration()), fmt(m.maxAbsError()), "" + reached, "" + c.seeds().size(), c.commit(),
          c.fingerprint())).append('\n');
    }
    for (Skipped k : skipped) { // stop "not_run:<graph>" names the smaller graph where no rate reached
      results.append(String.join(",", k.graph(), "", k.optimizer(), k.method(), "", "", "false", "not_run:" + k.missedOn(),
          "", "", "", "0", "", "", "", "", "0", "0", "", "")).append('\n');
    }
    AtomicFiles.write(out.resolve("results.csv"), results.toString().getBytes(StandardCharsets.UTF_8));

    Map<String, List<Cell>> byGraph = new LinkedHashMap<>();
    cells.forEach(c -> byGraph.computeIfAbsent(c.graph(), g -> new ArrayList<>()).add(c));
    StringBuilder speedups = new StringBuilder(
        SPEEDUP_HEADER + "\n");
    List<Map<String, String>> best = new ArrayList<>();
    byGraph.forEach((graph, list) -> {
      int n = list.get(0).freeNodes();
      for (String optimizer : list.stream().map(Cell::optimizer).distinct().toList()) {
        Cell d = find(list, optimizer, "direct");
        Cell g = find(list, optimizer, "gnn");
        if (d != null && g != null) {
          speedups.append(row(graph, n, optimizer, d.median(), g.median(), bestOf(list, "lbfgs"), bestOf(list, "cg")));
        }
      }
      MethodResult bestDirect = bestOf(list, "direct");
      MethodResult bestGnn = bestOf(list, "gnn");
      if (bestDirect != null && bestGnn != null) {
        String r = row(graph, n, "best:" + bestDirect.optimizer() + "/" + bestGnn.optimizer(), bestDirect, bestGnn, bestOf(list, "lbfgs"), bestOf(list, "cg"));
        speedups.append(r);
        String[] header = SPEEDUP_HEADER.split(",");
        String[] values = r.strip().split(",", -1);
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < header.length; i++) {
          m.put(header[i], values[i]);
        }
        best.add(m);
      }
    });
    AtomicFiles.write(out.resolve("speedup.csv"), speedups.toString().getBytes(StandardCharsets.UTF_8));
    return new Summary(problem, cells.size(), cells.stream().map(Cell::commit).distinct().sorted().toList(), best, List.copyOf(skipped));
  }

  /** speedup_vs_n.png: the best GNN run over the best direct run, against n, per graph kind. */
  static void plot(String problem, List<Cell> cells, Path out) {
    Map<String, TreeMap<Integer, Double>> curves = new LinkedHashMap<>();
    Map<String, List<Cell>> byGraph = new LinkedHashMap<>();
    cells.forEach(c -> byGraph.computeIfAbsent(c.graph(), g -> new ArrayList<>()).add(c));
    byGraph.forEach((graph, list) -> {
      MethodResult bestDirect = bestOf(list, "direct");
      MethodResult bestGnn = bestOf(list, "gnn");
      ReparamRun.Speedup s = ReparamRun.Speedup.of(bestDirect, bestGnn);
      String kind = graph.substring(0, graph.indexOf(':'));
      int n = list.get(0).freeNodes();
      if (s.wall() != null) {
        curves.computeIfAbsent(kind + ": best first-order direct / GNN", k -> new TreeMap<>()).put(n, s.wall());
        if (s.lowerBound()) { // drawn again as its own marker, so the line stays one line per kind
          curves.computeIfAbsent(kind + ": lower bound (direct stopped by its budget)", k -> new TreeMap<>()).put(n, s.wall());
        }
      }
      for (String baseline : BASELINES) {
        ReparamRun.Speedup b = ReparamRun.Speedup.of(bestOf(list, baseline), bestGnn);
        if (b.wall() != null) {
          curves.computeIfAbsent(kind + ": " + baseline + " / GNN", k -> new TreeMap<>()).put(n, b.wall());
        }
      }
    });
    Map<String, Plots.Series> series = new LinkedHashMap<>();
    curves.forEach((kind, points) -> series.put(kind, new Plots.Series(
        points.keySet().stream().mapToDouble(Integer::doubleValue).toArray(),
        points.values().stream().mapToDouble(Double::doubleValue).toArray())));
    if (!series.isEmpty()) {
      Plots.savePng(Plots.lines(problem + ": wall time to the target over the best GNN run's", "free nodes n", "speedup (method / GNN), below 1: the method wins", series, true, true),
          out.resolve("speedup_vs_n.png"));
    }
  }

  static final String SPEEDUP_HEADER = "graph,free_nodes,optimizer,direct_iterations,gnn_iterations,direct_wall_s,gnn_wall_s,speedup_wall,"
      + "speedup_iterations,lower_bound,lbfgs_iterations,lbfgs_wall_s,cg_iterations,cg_wall_s,gnn_vs_lbfgs_wall,gnn_vs_cg_wall";

  private static String row(String graph, int n, String optimizer, MethodResult d, MethodResult g, MethodResult lbfgs, MethodResult cg) {
    ReparamRun.Speedup s = ReparamRun.Speedup.of(d, g);
    ReparamRun.Speedup vsLbfgs = ReparamRun.Speedup.of(lbfgs, g);
    ReparamRun.Speedup vsCg = ReparamRun.Speedup.of(cg, g);
    return String.join(",", graph, "" + n, optimizer,
        fmt(d.reached() ? d.iterationsToTol() : (Object) d.iterations()), fmt(g.iterationsToTol()),
        fmt(d.reached() ? d.wallSToTol() : d.wallS()), fmt(g.wallSToTol()),
        fmt(s.wall()), fmt(s.iterations()), "" + s.lowerBound(),
        lbfgs == null ? "" : fmt(lbfgs.iterationsToTol()), lbfgs == null ? "" : fmt(lbfgs.wallSToTol()),
        cg == null ? "" : fmt(cg.iterationsToTol()), cg == null ? "" : fmt(cg.wallSToTol()),
        fmt(vsLbfgs.wall()), fmt(vsCg.wall())) + "\n";
  }

  private static Cell find(List<Cell> list, String optimizer, String method) {
    return list.stream().filter(c -> c.optimizer().equals(optimizer) && c.method().equals(method)).findFirst().orElse(null);
  }

  /**
   * The best median of a method over the optimizers: by wall time to the tolerance, the study's measure.
   * When none reached it, the one stopped soonest by a budget (the best run would have needed more than
   * that, whichever optimizer it was: the lower bound that holds), a diverged one only when all diverged.
   */
  static MethodResult bestOf(List<Cell> list, String method) {
    return list.stream().filter(c -> c.method().equals(method)).map(Cell::median)
        .min(Comparator.comparingInt((MethodResult m) -> m.reached() ? 0 : m.diverged() ? 2 : 1)
            .thenComparingDouble(m -> m.reached() ? m.wallSToTol() : m.wallS())).orElse(null);
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
