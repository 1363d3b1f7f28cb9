package dev.emergence.capacity;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.emergence.listops.Arity;
import dev.emergence.listops.Composition;
import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.Domain;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.Mix;
import dev.emergence.nn.GptConfig;
import dev.emergence.report.AtomicFiles;
import dev.emergence.report.IoErrors;
import dev.emergence.report.Json;
import dev.emergence.report.Provenance;
import dev.emergence.report.tensorboard.TrainingLog;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import dev.emergence.train.Checkpoints;
import dev.emergence.train.GptExport;
import dev.emergence.train.ListOpsTask;
import dev.emergence.train.MetricsLine;
import dev.emergence.train.TrainConfig;
import dev.emergence.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import org.apache.logging.log4j.LogManager;

/**
 * Trains one cell of a sweep: its task (the cell's mix, depth, modulus and chain of thought; data
 * seeded by the cell's seed, so an operator's test set is the same in every mix), its model shape,
 * the sweep's fixed training settings; evaluates every operator of the mix on its pure test
 * expressions.
 */
public final class CellTrainer {
  /** Everything a sweep holds fixed across its cells; part of every cell's fingerprint. */
  public record Settings(
      TrainConfig training,
      DatasetSpec sizes,
      String arity,
      Composition composition,
      double target) {}

  /**
   * Where and how often a stack saves checkpoints ({@code root/<first cell key>/}), and when it
   * stops ({@link Trainer#stopWhen}). A stack saves at least when stopped, so a resumed sweep
   * continues it.
   */
  public record Stopping(Path root, int every, BooleanSupplier stop) {
    /** No checkpoints, never stopped. */
    public static final Stopping NONE = new Stopping(null, Integer.MAX_VALUE, () -> false);
  }

  /**
   * In a stack's checkpoint directory: the fingerprints of its cells (another stack's checkpoint is
   * not reused).
   */
  static final String CELLS = "cells.json";

  /**
   * In a stack's checkpoint directory: each member's metrics lines, replayed on resume ({"member":
   * m, "line": ...}).
   */
  static final String LINES = "metrics.jsonl";

  private final Settings settings;
  private final SessionConfig session;
  private final Path tensorboardRoot;
  private final Stopping stopping;

  /**
   * With {@code tensorboardRoot} non-null, each model logs to {@code
   * tensorboardRoot/tensorboard/<cell key>}.
   */
  public CellTrainer(Settings settings, SessionConfig session, Path tensorboardRoot) {
    this(settings, session, tensorboardRoot, Stopping.NONE);
  }

  public CellTrainer(
      Settings settings, SessionConfig session, Path tensorboardRoot, Stopping stopping) {
    this.settings = settings;
    this.session = session;
    this.tensorboardRoot = tensorboardRoot;
    this.stopping = stopping;
  }

  /** The stack's checkpoints, or null without a checkpoint root. */
  private Checkpoints checkpoints(List<SweepGrid.Cell> stack) {
    return stopping.root() == null
        ? null
        : new Checkpoints(stopping.root().resolve(stack.get(0).key()), stopping.every());
  }

  /** Deletes the stack's checkpoint: call once its cells are saved. */
  public void dropCheckpoint(List<SweepGrid.Cell> stack) {
    Checkpoints checkpoints = checkpoints(stack);
    if (checkpoints != null) {
      checkpoints.delete();
    }
  }

  /**
   * Prepares the stack's checkpoint directory: a checkpoint of the same cells is kept (its metrics
   * lines up to its step are replayed into {@code recorders}), anything else there is deleted.
   */
  private void prepare(
      Checkpoints checkpoints, List<SweepGrid.Cell> stack, List<Recorder> recorders) {
    List<String> hashes =
        stack.stream().map(cell -> SweepStore.fingerprint(cell, settings).hash()).toList();
    Path cells = checkpoints.dir().resolve(CELLS);
    Path lines = checkpoints.dir().resolve(LINES);
    try {
      boolean same =
          checkpoints.exists()
              && Files.exists(cells)
              && Json.mapper()
                  .convertValue(Json.read(cells), new TypeReference<List<String>>() {})
                  .equals(hashes);
      if (!same) {
        AtomicFiles.deleteRecursively(checkpoints.dir());
        Files.createDirectories(checkpoints.dir());
        Json.write(cells, hashes);
        return;
      }
      int step = checkpoints.step();
      StringBuilder kept = new StringBuilder();
      for (String text :
          Files.exists(lines)
              ? Files.readAllLines(lines, StandardCharsets.UTF_8)
              : List.<String>of()) {
        if (text.isBlank()) {
          continue;
        }
        JsonNode node = Json.mapper().readTree(text);
        MetricsLine line = Json.mapper().treeToValue(node.get("line"), MetricsLine.class);
        if (line.step() <= step) {
          recorders.get(node.get("member").asInt()).accept(line);
          kept.append(text).append('\n');
        }
      }
      AtomicFiles.write(lines, kept.toString().getBytes(StandardCharsets.UTF_8));
      LogManager.getLogger(CellTrainer.class)
          .info(
              "continuing the stack of {} from its checkpoint at step {}",
              stack.get(0).key(),
              step);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot prepare the checkpoint " + checkpoints.dir() + ": " + IoErrors.describe(e), e);
    }
  }

  private static void append(Checkpoints checkpoints, int member, MetricsLine line) {
    if (checkpoints == null) {
      return;
    }
    Path file = checkpoints.dir().resolve(LINES);
    try {
      Files.writeString(
          file,
          Json.line(Map.of("member", member, "line", line)) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file + ": " + IoErrors.describe(e), e);
    }
  }

  private TrainingLog log(SweepGrid.Cell cell) {
    return TrainingLog.open(tensorboardRoot, cell.key(), tensorboardRoot != null);
  }

  public static GeneratorConfig generator(SweepGrid.Cell cell, Settings settings) {
    Domain domain = cell.domain();
    return GeneratorConfig.defaults(domain, Mix.parse(cell.mix(), domain))
        .withMaxDepth(cell.depth())
        .withArity(Arity.parse(settings.arity()))
        .withComposition(settings.composition());
  }

  /**
   * Trains a stack of cells that share a shape and sequence layout as one graph ({@link Trainer});
   * each member learns exactly what it would alone with the stack's context. With {@code
   * exportRoot} non-null, the SavedModel of each cell that {@code export} accepts goes to {@code
   * exportRoot/<cell key>}. {@code afterStep} hears every step reached. With a checkpoint root the
   * stack continues from its checkpoint (replaying its metrics, so curves and steps to target are
   * those of an unbroken run); a stop request ends it with {@link
   * dev.emergence.report.RunDirectory.Stopped}.
   */
  public List<CellResult> trainStack(
      List<SweepGrid.Cell> stack,
      Path exportRoot,
      Predicate<SweepGrid.Cell> export,
      IntConsumer afterStep) {
    long start = System.nanoTime();
    List<ListOpsTask> tasks = new ArrayList<>();
    List<Trainer.Member> members = new ArrayList<>();
    for (SweepGrid.Cell cell : stack) {
      ListOpsTask task =
          ListOpsTask.build(generator(cell, settings), settings.sizes(), cell.seed(), cell.cot());
      tasks.add(task);
      members.add(new Trainer.Member(cell.seed(), settings.training().learningRate(), task));
    }
    int length = tasks.stream().mapToInt(ListOpsTask::length).max().orElseThrow();
    SweepGrid.Cell shape = stack.get(0);
    GptConfig model =
        GptConfig.of(
                tasks.get(0).vocab(), length - 1, shape.layers(), shape.heads(), shape.dModel())
            .withLoops(shape.loops());
    List<Recorder> recorders = new ArrayList<>();
    for (int m = 0; m < stack.size(); m++) {
      recorders.add(new Recorder(tasks.get(m), settings.target(), log(stack.get(m))));
    }
    Checkpoints checkpoints = checkpoints(stack);
    if (checkpoints != null) {
      prepare(checkpoints, stack, recorders);
    }
    try (GraphSession graphSession = new GraphSession(session)) {
      Trainer trainer =
          new Trainer(graphSession, model, settings.training(), members)
              .stopWhen(stopping.stop())
              .afterStep(afterStep);
      List<Trainer.Outcome> outcomes =
          trainer.run(
              (m, line) -> {
                recorders.get(m).accept(line);
                append(checkpoints, m, line);
              },
              false,
              checkpoints);
      double seconds = (System.nanoTime() - start) / 1e9;
      List<CellResult> results = new ArrayList<>();
      for (int m = 0; m < stack.size(); m++) {
        Trainer.Outcome outcome = outcomes.get(m);
        if (outcome.diverged()) {
          throw new IllegalStateException(
              "model " + stack.get(m).key() + " diverged: " + outcome.reason());
        }
        if (exportRoot != null && export.test(stack.get(m))) {
          GptExport.export(trainer, m, exportRoot.resolve(stack.get(m).key()), false);
        }
        results.add(
            recorders.get(m).result(stack.get(m), outcome.result(), seconds / stack.size()));
      }
      return results;
    }
  }

  /**
   * Curves and steps to target from a model's metrics lines, which also go to its TensorBoard log.
   */
  private static final class Recorder {
    private final List<CellResult.CurvePoint> curve = new ArrayList<>();
    private final Map<String, Integer> stepsToTarget = new LinkedHashMap<>();
    private final double target;
    private final TrainingLog tensorboard;

    Recorder(ListOpsTask task, double target, TrainingLog tensorboard) {
      this.target = target;
      this.tensorboard = tensorboard;
      task.operators().forEach(op -> stepsToTarget.put(op.name(), null));
    }

    void accept(MetricsLine line) {
      tensorboard.evaluation(
          line.step(),
          line.loss(),
          line.lr(),
          line.valAccuracy(),
          line.elapsedS(),
          line.tokensPerS());
      int step = line.step();
      Map<String, Double> accuracy = new LinkedHashMap<>(line.valAccuracy());
      accuracy.remove("overall");
      curve.add(new CellResult.CurvePoint(step, accuracy));
      accuracy.forEach(
          (op, acc) -> {
            if (acc >= target && stepsToTarget.get(op) == null) {
              stepsToTarget.put(op, step);
            }
          });
    }

    CellResult result(SweepGrid.Cell cell, Trainer.Result result, double seconds) {
      tensorboard.test(result.steps(), result.testAccuracy());
      tensorboard.close();
      return new CellResult(
          cell,
          result.params(),
          result.steps(),
          withoutOverall(result.testAccuracy()),
          withoutOverall(result.majorityBaseline()),
          stepsToTarget,
          curve,
          seconds,
          Provenance.current().label());
    }
  }

  private static Map<String, Double> withoutOverall(Map<String, Double> accuracy) {
    Map<String, Double> out = new LinkedHashMap<>(accuracy);
    out.remove("overall");
    return out;
  }
}
