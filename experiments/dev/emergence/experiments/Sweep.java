package dev.emergence.experiments;

import com.google.common.base.Preconditions;
import com.google.common.base.Splitter;
import dev.emergence.capacity.CellResult;
import dev.emergence.capacity.CellTrainer;
import dev.emergence.capacity.SweepAnalysis;
import dev.emergence.capacity.SweepGrid;
import dev.emergence.capacity.SweepRun;
import dev.emergence.capacity.SweepStore;
import dev.emergence.listops.Arity;
import dev.emergence.listops.Composition;
import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.Domain;
import dev.emergence.listops.Group;
import dev.emergence.listops.Mix;
import dev.emergence.listops.Modulus;
import dev.emergence.report.ProgressLog;
import dev.emergence.report.RunDirectory;
import dev.emergence.report.StopSignal;
import dev.emergence.train.TrainConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The capacity study's sweep: mixes x sizes x seeds (x depth, chain of thought, modulus, layers,
 * loops, heads when given lists); every model evaluated on every operator of its mix. Resumable,
 * shardable, mergeable.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description =
        "Sweep mixes, sizes and seeds; results.csv, thresholds.json, accuracy_vs_params.png,"
            + " fraction_learned_vs_params.png, curves.csv. 'analyze DIR' recomputes the statistics from results.csv.")
public final class Sweep implements Callable<Integer> {
  private static final TrainConfig DEFAULTS = TrainConfig.defaults();

  @Mixin CommonOptions common = new CommonOptions();
  @Mixin OptimizerOptions optimizer = new OptimizerOptions();
  @Mixin GroupOption group = new GroupOption();
  @Spec CommandSpec spec;

  @Option(
      names = "--mixes",
      description =
          "Operator mixes separated by ';', e.g. \"SUM;MAX,MED,SUM\" (default: ${DEFAULT-VALUE}).")
  String mixes = "SUM;MAX,MED,SUM";

  @Option(
      names = "--d-models",
      description = "Widths to sweep, e.g. 2,4,6,8,12,16 (default: ${DEFAULT-VALUE}).")
  String dModels = "4,8,16";

  @Option(
      names = "--heads",
      description = "Attention heads, one or a list (default: ${DEFAULT-VALUE}).")
  String heads = "1";

  @Option(names = "--layers", description = "Blocks, one or a list (default: ${DEFAULT-VALUE}).")
  String layers = "1";

  @Option(
      names = "--loops",
      description = "Applications of the block stack, one or a list (default: ${DEFAULT-VALUE}).")
  String loops = "1";

  @Option(
      names = "--depth",
      description = "Maximum nesting depth, one or a list (default: ${DEFAULT-VALUE}).")
  String depth = "1";

  @Option(
      names = "--cot",
      description = "Chain of thought: false, true, or false,true (default: ${DEFAULT-VALUE}).")
  String cot = "false";

  @Option(
      names = "--modulus",
      description = "Modulus, one or a list, e.g. 10,11 (default: ${DEFAULT-VALUE}).")
  String modulus = "10";

  @Option(
      names = "--seeds",
      description = "A count N (seeds 0..N-1) or a list such as 0,5,9 (default: ${DEFAULT-VALUE}).")
  String seeds = "3";

  @Option(names = "--arity", description = "Arguments per list (default: ${DEFAULT-VALUE}).")
  String arity = "2-3";

  @Option(names = "--composition", description = "mixed or pure (default: ${DEFAULT-VALUE}).")
  String composition = "pure";

  @Option(names = "--steps", description = "Step budget per model (default: ${DEFAULT-VALUE}).")
  int steps = 3000;

  @Option(names = "--batch", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
  int batch = DEFAULTS.batch();

  @Option(
      names = "--eval-every",
      description = "Validate every N steps: the curves' resolution (default: ${DEFAULT-VALUE}).")
  int evalEvery = DEFAULTS.evalEvery();

  @Option(
      names = "--target",
      description = "Accuracy that counts as learned (default: ${DEFAULT-VALUE}).")
  double target = 0.9;

  @Option(
      names = "--stop-at",
      description =
          "Stop a model early once its overall validation accuracy stays at or above this (default: ${DEFAULT-VALUE}: never).")
  double stopAt = DEFAULTS.targetAccuracy();

  @Option(
      names = "--train-size",
      description = "Training examples per model (default: ${DEFAULT-VALUE}).")
  int trainSize = 100_000;

  @Option(
      names = "--val-size",
      description = "Validation examples per operator (default: ${DEFAULT-VALUE}).")
  int valSize = 100;

  @Option(
      names = "--test-size",
      description = "Test examples per operator (default: ${DEFAULT-VALUE}).")
  int testSize = 300;

  @Option(
      names = "--shard",
      description = "Run shard I of N (I from 0), e.g. 0/4: a deterministic 1/N of the stacks.")
  String shard = "0/1";

  @Option(
      names = "--resume",
      description =
          "Continue the sweep in --out: finished cells are reused if their settings match.")
  boolean resume;

  @Option(
      names = "--merge",
      arity = "1..*",
      description = "Join the finished cells of these shard directories into --out.")
  List<Path> merge;

  @Option(
      names = "--checkpoint-every",
      description =
          "Save the training stack's checkpoint under --out/checkpoints every N steps (0: only when stopped by a signal) (default: ${DEFAULT-VALUE}).")
  int checkpointEvery = 500;

  @Option(
      names = "--export-models",
      description = "Keep each model's SavedModel under DIR/models/<cell>/.")
  boolean exportModels;

  SweepGrid grid() {
    Group g = group.group();
    Domain domain = g == null ? Modulus.of(Modulus.DEFAULT_N) : g;
    boolean mixesGiven = spec.commandLine().getParseResult().hasMatchedOption("--mixes");
    return new SweepGrid(
        Splitter.on(';')
            .trimResults()
            .splitToList(g == null || mixesGiven ? mixes : GroupOption.DEFAULT_MIX)
            .stream()
            .peek(mix -> Mix.parse(mix, domain))
            .toList(),
        ints(depth, "--depth"),
        list(cot, Sweep::bool),
        g == null ? ints(modulus, "--modulus") : List.of(SweepGrid.Cell.NO_MODULUS),
        ints(layers, "--layers"),
        ints(loops, "--loops"),
        ints(heads, "--heads"),
        ints(dModels, "--d-models"),
        SeedList.parse(seeds),
        g == null ? null : g.name());
  }

  CellTrainer.Settings settings() {
    TrainConfig training =
        optimizer
            .applyTo(TrainConfig.builder())
            .steps(steps)
            .batch(batch)
            .evalEvery(evalEvery)
            .target(stopAt, DEFAULTS.patience())
            .build();
    Preconditions.checkArgument(
        trainSize >= 1, "--train-size must be at least 1, got %s", trainSize);
    Preconditions.checkArgument(
        valSize >= 1,
        "--val-size must be at least 1 per operator (the curves need it), got %s",
        valSize);
    Preconditions.checkArgument(
        testSize >= 1, "--test-size must be at least 1 per operator, got %s", testSize);
    Preconditions.checkArgument(
        target > 0 && target <= 1, "--target must be in (0, 1], got %s", target);
    Arity.parse(arity);
    return new CellTrainer.Settings(
        training,
        new DatasetSpec(trainSize, valSize, testSize),
        arity,
        Composition.parse(composition),
        target);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (merge != null) {
      return merge(out);
    }
    Preconditions.checkArgument(
        !resume || common.out != null, "--resume needs --out: the sweep directory to continue");
    int[] shardOf = shard(shard);
    SweepGrid grid = grid();
    int cells = grid.shard(shardOf[0], shardOf[1]).stream().mapToInt(List::size).sum();
    CellTrainer.Settings settings = settings();
    var sessionConfig = common.sessionConfig();
    Preconditions.checkArgument(
        checkpointEvery >= 0, "--checkpoint-every must be at least 0, got %s", checkpointEvery);
    RunDirectory run = common.runDirectory("sweep", true, resume);
    StopSignal.install();
    CellTrainer.Stopping stopping =
        new CellTrainer.Stopping(
            run.root().resolve("checkpoints"),
            checkpointEvery == 0 ? Integer.MAX_VALUE : checkpointEvery,
            StopSignal.supplier());
    SweepStore store = new SweepStore(run.root());
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("command", "sweep");
    config.put("args", String.join(" ", spec.commandLine().getParseResult().originalArgs()));
    config.put("grid", grid);
    config.put("settings", settings);
    config.put("shard", shard);
    config.put("threads", common.threads);
    SweepRun.Summary summary =
        run.run(
            config,
            () -> {
              try (ProgressLog log = ProgressLog.open("sweep", cells, "cells")) {
                List<CellResult> results =
                    SweepRun.run(
                        grid,
                        shardOf[0],
                        shardOf[1],
                        settings,
                        new CellTrainer(
                            settings,
                            sessionConfig,
                            common.tensorboard() ? run.root() : null,
                            stopping),
                        store,
                        exportModels,
                        p -> {
                          out.printf(
                              "[%d/%d] %s%s %s (%d params, %.1f s)%n",
                              p.done(),
                              p.total(),
                              p.cell().key(),
                              p.reused() ? " (saved)" : "",
                              accuracies(p.result()),
                              p.result().params(),
                              p.result().wallS());
                          out.flush();
                        },
                        log);
                return SweepRun.report(results, target, run.root());
              }
            });
    print(out, summary, run.root());
    return 0;
  }

  private int merge(PrintWriter out) {
    Preconditions.checkArgument(
        common.out != null, "--merge needs --out: where the joined sweep goes");
    List<SweepStore.Saved> saved = SweepRun.merge(merge);
    RunDirectory run = common.runDirectory("sweep", false, false);
    SweepRun.Summary summary =
        run.run(
            Map.of(
                "command", "sweep --merge", "shards", merge.stream().map(Path::toString).toList()),
            () -> {
              SweepStore store = new SweepStore(run.root());
              List<CellResult> results = new ArrayList<>();
              for (SweepStore.Saved s : saved) {
                store.save(dev.emergence.report.Fingerprint.of(s.settings()), s.result());
                results.add(s.result());
              }
              double mergedTarget =
                  saved.get(0).settings().get("training").get("target").asDouble();
              return SweepRun.report(results, mergedTarget, run.root());
            });
    print(out, summary, run.root());
    return 0;
  }

  /** The tables of a finished sweep's thresholds and comparisons, and where its reports are. */
  private static void print(PrintWriter out, SweepRun.Summary summary, Path dir) {
    ThresholdsTable.print(out, summary.thresholds(), summary.comparisons());
    out.println(
        "results: "
            + dir.resolve(SweepRun.RESULTS)
            + ", "
            + dir.resolve(SweepRun.THRESHOLDS)
            + ", "
            + dir.resolve(SweepRun.PLOT)
            + ", "
            + dir.resolve(SweepAnalysis.FRACTION_PLOT));
    out.flush();
  }

  private static String accuracies(CellResult r) {
    StringBuilder s = new StringBuilder();
    r.accuracy()
        .forEach(
            (op, acc) ->
                s.append(s.length() == 0 ? "" : " ")
                    .append(op)
                    .append('=')
                    .append(String.format("%.3f", acc)));
    return s.toString();
  }

  /** "I/N" with 0 <= I < N. */
  static int[] shard(String text) {
    List<String> parts = Splitter.on('/').splitToList(text);
    Preconditions.checkArgument(
        parts.size() == 2, "--shard expects I/N such as 0/4, got '%s'", text);
    int i = integer(parts.get(0), "--shard");
    int n = integer(parts.get(1), "--shard");
    Preconditions.checkArgument(
        n >= 1 && i >= 0 && i < n, "--shard %s: expected I/N with N >= 1 and 0 <= I < N", text);
    return new int[] {i, n};
  }

  private static List<Integer> ints(String text, String option) {
    List<Integer> values = list(text, s -> integer(s, option));
    values.forEach(
        v ->
            Preconditions.checkArgument(v >= 1, "%s values must be at least 1, got %s", option, v));
    return values;
  }

  private static <T> List<T> list(String text, Function<String, T> parse) {
    return Splitter.on(',').trimResults().splitToList(text).stream().map(parse).toList();
  }

  private static int integer(String text, String option) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": '" + text + "' is not an integer");
    }
  }

  private static boolean bool(String text) {
    return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "on", "yes" -> true;
      case "false", "off", "no" -> false;
      default ->
          throw new IllegalArgumentException("--cot: expected true or false, got '" + text + "'");
    };
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new Sweep(), args);
  }
}
