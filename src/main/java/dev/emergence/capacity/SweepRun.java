package dev.emergence.capacity;

import com.google.common.base.Preconditions;
import dev.emergence.report.AtomicFiles;
import dev.emergence.report.Fingerprint;
import dev.emergence.report.ProgressLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a sweep (or one shard of it) into a {@link SweepStore}, skipping cells that finished with
 * the same settings, and writes its reports: {@code results.csv}, {@code curves.csv}, {@code
 * thresholds.json}, {@code accuracy_vs_params.png} and, for up to {@link SweepAnalysis#MAX_CURVES}
 * curves, {@code accuracy_vs_step.png}.
 */
public final class SweepRun {
  public static final String RESULTS = "results.csv";
  public static final String CURVES = "curves.csv";
  public static final String THRESHOLDS = "thresholds.json";
  public static final String PLOT = "accuracy_vs_params.png";

  /**
   * Validation accuracy against step per model, written when there are few enough models to read
   * it.
   */
  public static final String CURVES_PLOT = "accuracy_vs_step.png";

  private SweepRun() {}

  /** Progress of a run: a cell trained (or reused), with its index among the shard's cells. */
  public record Progress(
      SweepGrid.Cell cell, int done, int total, boolean reused, CellResult result) {}

  /**
   * Trains every stack of shard {@code index} of {@code count} that has a cell without a saved
   * result, in grid order. Checks every saved cell's settings before training anything, so a
   * mismatch is refused up front. {@code log} hears each step of a stack in training and each stack
   * finished (a stack found done counts as reused).
   */
  public static List<CellResult> run(
      SweepGrid grid,
      int index,
      int count,
      CellTrainer.Settings settings,
      CellTrainer trainer,
      SweepStore store,
      boolean exportModels,
      Consumer<Progress> progress,
      ProgressLog log) {
    List<List<SweepGrid.Cell>> stacks = grid.shard(index, count);
    int total = stacks.stream().mapToInt(List::size).sum();
    Map<SweepGrid.Cell, CellResult> done = new LinkedHashMap<>();
    for (List<SweepGrid.Cell> stack : stacks) {
      for (SweepGrid.Cell cell : stack) {
        store
            .finished(cell, SweepStore.fingerprint(cell, settings))
            .ifPresent(r -> done.put(cell, r));
      }
    }
    List<CellResult> results = new ArrayList<>();
    int n = 0;
    for (List<SweepGrid.Cell> stack : stacks) {
      boolean complete = stack.stream().allMatch(done::containsKey);
      // an unfinished stack is trained whole, so every model sees the same stack as in an unbroken
      // run;
      // only the models that had not finished are saved
      if (!complete) {
        clearLogs(
            store.root(), stack); // a retrained stack rewrites its models' TensorBoard logs whole
      }
      long steps = settings.training().steps();
      List<CellResult> trained =
          complete
              ? null
              : trainer.trainStack(
                  stack,
                  exportModels ? store.root().resolve("models") : null,
                  cell -> !done.containsKey(cell),
                  step -> log.working(stack.size(), step, steps));
      for (int m = 0; m < stack.size(); m++) {
        SweepGrid.Cell cell = stack.get(m);
        CellResult result = done.get(cell);
        boolean reused = result != null;
        if (!reused) {
          result = trained.get(m);
          store.save(SweepStore.fingerprint(cell, settings), result);
        }
        results.add(result);
        progress.accept(new Progress(cell, ++n, total, reused, result));
      }
      if (!complete) {
        trainer.dropCheckpoint(stack); // after its cells are saved
      }
      log.finished(
          stack.size(),
          complete,
          stack.size() == 1
              ? stack.get(0).key()
              : stack.size() + " cells from " + stack.get(0).key());
    }
    return results;
  }

  private static void clearLogs(Path root, List<SweepGrid.Cell> stack) {
    for (SweepGrid.Cell cell : stack) {
      try {
        AtomicFiles.deleteRecursively(root.resolve("tensorboard").resolve(cell.key()));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(
            "cannot clear the TensorBoard log of " + cell.key() + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * What a sweep's result.json holds: the cells reported and the thresholds per setting and
   * operator.
   */
  public record Summary(
      int cells,
      Map<String, Map<String, Thresholds.Threshold>> thresholds,
      List<Comparison> comparisons) {}

  /**
   * Writes the reports of {@code results} into {@code dir}: the CSVs and the curves, then what
   * {@link SweepAnalysis#analyze} recomputes from them (thresholds, comparisons of every two
   * settings that share an operator, the plots).
   */
  public static Summary report(List<CellResult> results, double target, Path dir) {
    Preconditions.checkArgument(!results.isEmpty(), "no finished cells to report");
    SweepStore.writeResultsCsv(results, dir.resolve(RESULTS));
    SweepStore.writeCurvesCsv(results, dir.resolve(CURVES));
    SweepAnalysis.plotCurves(results, target, dir.resolve(CURVES_PLOT));
    SweepAnalysis.Analysis analysis = SweepAnalysis.analyze(results, target, List.of(), dir);
    return new Summary(results.size(), analysis.thresholds(), analysis.comparisons());
  }

  /**
   * Joins shards: every saved cell of every directory, in grid order of their keys; one cell saved
   * by two shards with different settings is refused.
   */
  public static List<SweepStore.Saved> merge(List<Path> shards) {
    Map<String, SweepStore.Saved> byKey = new java.util.TreeMap<>();
    for (Path shard : shards) {
      List<SweepStore.Saved> saved = new SweepStore(shard).all();
      Preconditions.checkArgument(
          !saved.isEmpty(),
          "%s holds no finished sweep cells (no %s/*.json)",
          shard,
          SweepStore.CELLS);
      for (SweepStore.Saved s : saved) {
        SweepStore.Saved other = byKey.putIfAbsent(s.result().cell().key(), s);
        Preconditions.checkArgument(
            other == null || other.hash().equals(s.hash()),
            "cell %s was run with different settings in two shards: %s",
            s.result().cell().key(),
            other == null
                ? ""
                : String.join(
                    "; ",
                    Fingerprint.of(other.settings()).differences(Fingerprint.of(s.settings()))));
      }
    }
    return new ArrayList<>(byKey.values());
  }
}
