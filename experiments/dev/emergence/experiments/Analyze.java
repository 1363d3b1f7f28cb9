package dev.emergence.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.base.Preconditions;
import dev.emergence.capacity.CellResult;
import dev.emergence.capacity.Comparison;
import dev.emergence.capacity.CurriculumRuns;
import dev.emergence.capacity.SweepAnalysis;
import dev.emergence.capacity.SweepRun;
import dev.emergence.capacity.SweepStore;
import dev.emergence.report.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Recomputes a finished sweep's statistics and plots from its results.csv, without training. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
      "Recompute a sweep's statistics from DIR/results.csv without training: rewrites DIR/thresholds.json"
          + " (thresholds, transitions, comparisons), DIR/accuracy_vs_params.png and"
          + " DIR/fraction_learned_vs_params.png in place, each atomically. Nothing else in DIR changes"
          + " (result.json keeps what the sweep reported).",
      "A DIR without results.csv whose subfolders are curriculum runs of one protocol at several"
          + " sizes gets the same files, with two settings per operator: the curriculum arm (e.g."
          + " 'MAX,MED then SUM') and the same mix from scratch ('SUM'), compared scratch first.",
      "Example: analyze experiments/results/joint-training --compare \"SUM;MAX,MED,SUM\""
    })
public final class Analyze implements Callable<Integer> {
  /** The sweep's default --target, for a directory whose cells do not record one. */
  private static final double DEFAULT_TARGET = 0.9;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "DIR",
      description =
          "A sweep directory (the --out of sweep or sweep --merge, holding results.csv), or a folder"
              + " of curriculum runs (one --out per size).")
  Path dir;

  @Option(
      names = "--compare",
      paramLabel = "A;B[;OP]",
      description =
          "Compare settings A and B (as thresholds.json names them, e.g. SUM or SUM|modulus=11) on operator OP,"
              + " or on every operator both have; repeatable. ratio = A's transition / B's; p: that B learns at smaller sizes."
              + " Default: every two settings that share an operator, A the one with fewer operators.")
  List<String> compare = new ArrayList<>();

  @Option(
      names = "--target",
      description =
          "Accuracy that counts as learned (default: the sweep's own, from DIR/cells/; "
              + DEFAULT_TARGET
              + " if it has none).")
  Double target;

  @Override
  public Integer call() {
    List<Comparison.Pair> pairs = compare.stream().map(Comparison.Pair::parse).toList();
    double t = target != null ? target : sweepTarget(dir).orElse(DEFAULT_TARGET);
    Preconditions.checkArgument(t > 0 && t <= 1, "--target must be in (0, 1], got %s", t);
    PrintWriter out = spec.commandLine().getOut();
    SweepAnalysis.Analysis analysis;
    boolean sweep = Files.exists(dir.resolve(SweepRun.RESULTS));
    Preconditions.checkArgument(
        sweep || CurriculumRuns.isCurriculumFolder(dir),
        "no %s in %s and no curriculum runs in its subfolders: expected the --out of a sweep or a"
            + " folder of curriculum runs",
        SweepRun.RESULTS,
        dir);
    if (!sweep) {
      CurriculumRuns.Arms arms = CurriculumRuns.read(dir);
      analysis =
          SweepAnalysis.analyzeSeries(
              arms.series(), t, pairs.isEmpty() ? List.of(arms.pair()) : pairs, dir);
      out.printf(
          "%d models (curriculum and scratch) from the runs in %s, target %s%n",
          arms.series().stream().mapToInt(s -> s.points().size()).sum(), dir, t);
    } else {
      List<CellResult> results = SweepStore.readResultsCsv(dir.resolve(SweepRun.RESULTS));
      analysis = SweepAnalysis.analyze(results, t, pairs, dir);
      out.printf(
          "%d models from %s, target %s%n", results.size(), dir.resolve(SweepRun.RESULTS), t);
    }
    ThresholdsTable.print(out, analysis.thresholds(), analysis.comparisons());
    out.println(
        "rewritten: "
            + dir.resolve(SweepRun.THRESHOLDS)
            + ", "
            + dir.resolve(SweepRun.PLOT)
            + ", "
            + dir.resolve(SweepAnalysis.FRACTION_PLOT));
    out.flush();
    return 0;
  }

  /**
   * The target the sweep in {@code dir} ran with, as its saved cells record it; empty without
   * cells.
   */
  static Optional<Double> sweepTarget(Path dir) {
    Path cells = dir.resolve(SweepStore.CELLS);
    if (!Files.isDirectory(cells)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(cells)) {
      Optional<Path> first = files.filter(f -> f.toString().endsWith(".json")).sorted().findFirst();
      return first
          .map(f -> Json.read(f).path("settings").path("training").path("target"))
          .filter(JsonNode::isNumber)
          .map(JsonNode::asDouble);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + cells + ": " + e.getMessage(), e);
    }
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new Analyze(), args);
  }
}
