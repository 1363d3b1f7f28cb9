package dev.emergence.experiments;

import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.Vocabulary;
import dev.emergence.nn.GptConfig;
import com.google.common.base.Preconditions;
import dev.emergence.report.AtomicFiles;
import dev.emergence.report.RunDirectory;
import dev.emergence.session.SessionConfig;
import dev.emergence.session.GraphSession;
import dev.emergence.train.GptExport;
import dev.emergence.train.ListOpsTask;
import dev.emergence.train.TrainConfig;
import dev.emergence.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Train a small transformer on a ListOps mix; writes config.json, metrics.jsonl, result.json and a
 * SavedModel. Every default comes from the library: {@link TrainConfig#defaults()}, {@link
 * Trainer#defaultModel}, {@link ListOpsTask#DEFAULT_SIZES} and {@link GeneratorConfig#defaults}.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train a small transformer on a ListOps mix; report test accuracy per operator.")
public final class Train implements Callable<Integer> {
  private static final TrainConfig DEFAULTS = TrainConfig.defaults();
  private static final DatasetSpec SIZES = ListOpsTask.DEFAULT_SIZES;

  @Mixin CommonOptions common = new CommonOptions();
  @Mixin TaskOptions task = new TaskOptions();
  @Mixin GptShapeOptions shape = new GptShapeOptions(Trainer.defaultModel(1, 1));
  @Mixin OptimizerOptions optimizer = new OptimizerOptions();
  @Spec CommandSpec spec;

  @Option(names = "--cot", description = "Train on chain-of-thought targets 'expr = step = ... = answer <end>'.")
  boolean cot;

  @Option(names = "--train-size", description = "Training examples (default: ${DEFAULT-VALUE}).")
  int trainSize = SIZES.trainSize();

  @Option(names = "--val-size", description = "Validation examples per operator (default: ${DEFAULT-VALUE}).")
  int valSize = SIZES.validationPerOperator();

  @Option(names = "--test-size", description = "Test examples per operator (default: ${DEFAULT-VALUE}).")
  int testSize = SIZES.testPerOperator();

  @Option(names = "--steps", description = "Step budget (default: ${DEFAULT-VALUE}).")
  int steps = DEFAULTS.steps();

  @Option(names = "--batch", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
  int batch = DEFAULTS.batch();

  @Option(names = "--eval-every", description = "Validate every N steps (default: ${DEFAULT-VALUE}).")
  int evalEvery = DEFAULTS.evalEvery();

  @Option(names = "--target", description = "Stop early once validation accuracy is at or above this (default: ${DEFAULT-VALUE}: never).")
  double target = DEFAULTS.targetAccuracy();

  @Option(names = "--patience", description = "Evaluations in a row at or above --target before stopping (default: ${DEFAULT-VALUE}).")
  int patience = DEFAULTS.patience();

  @Option(names = "--loss", description = "answer (tokens after the first '=') or all (default: ${DEFAULT-VALUE}).")
  TrainConfig.LossOn loss = DEFAULTS.lossOn();

  @Option(names = "--loss-every", description = "Fetch the training loss every N steps (default: ${DEFAULT-VALUE}).")
  int lossEvery = DEFAULTS.lossEvery();

  @Option(
      names = "--export",
      arity = "0..1",
      fallbackValue = "",
      description = "Export a SavedModel to DIR (without DIR: saved_models/<out name>-<timestamp>); an existing one is replaced only with --overwrite.")
  String export;

  @Option(names = "--no-progress", description = "No progress bar.")
  boolean noProgress;

  TrainConfig trainConfig() {
    return optimizer
        .applyTo(TrainConfig.builder())
        .steps(steps).batch(batch).evalEvery(evalEvery).target(target, patience).lossOn(loss).lossEvery(lossEvery)
        .build();
  }

  @Override
  public Integer call() {
    // Every check before any work: options, model shape, data sizes, threads, export path, --out.
    GeneratorConfig generator = task.config();
    TrainConfig train = trainConfig();
    DatasetSpec sizes = checkedSizes(train);
    SessionConfig sessionConfig = common.sessionConfig();
    shape.config(new Vocabulary(generator.modulus()).size(), 1);
    Path out = common.outOr("train");
    Path exportDir = exportDirectory(out);
    if (exportDir != null) {
      AtomicFiles.checkPublishable(exportDir, common.overwrite);
    }
    RunDirectory run = common.runDirectory("train", false, false);
    ListOpsTask data = ListOpsTask.build(generator, sizes, common.seed, cot);
    GptConfig model = shape.config(data.vocab(), data.length() - 1);
    model.checkFits(data.length() - 1);

    Map<String, Object> config = new LinkedHashMap<>();
    config.put("command", "train");
    config.put("args", String.join(" ", spec.commandLine().getParseResult().originalArgs()));
    config.put("task", data.description());
    config.put("model", model);
    config.put("training", train);
    config.put("seed", common.seed);
    config.put("threads", common.threads);
    config.put("device", common.device.toString().toLowerCase(Locale.ROOT));
    config.put("export", exportDir == null ? null : exportDir.toString());
    run.start(config);

    try (GraphSession session = new GraphSession(sessionConfig)) {
      Trainer trainer = new Trainer(session, model, train, data, common.seed);
      Trainer.Result result;
      try {
        result = trainer.run(run::appendMetrics, !noProgress);
      } catch (Trainer.Diverged e) {
        run.diverged(e.getMessage(), e.step());
        throw e;
      }
      // the result is safe on disk before the export, which may still fail
      run.writeResult(result);
      if (exportDir != null) {
        GptExport.export(session, trainer.graph(), data, exportDir, common.overwrite);
        result = result.withExport(exportDir);
      }
      run.finish(result);
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.printf(
          "test accuracy %s (majority baseline %s) after %d steps, %d params, %.1f s, %.0f tokens/s%n",
          format(result.testAccuracy()), format(result.majorityBaseline()), result.steps(), result.params(), result.wallSeconds(), result.tokensPerSecond());
      stdout.println("result: " + run.resolve(RunDirectory.RESULT) + (exportDir == null ? "" : ", SavedModel: " + exportDir));
      stdout.flush();
    } catch (RuntimeException | Error e) {
      if (!(e instanceof Trainer.Diverged)) {
        run.fail(Emergence.Cli.oneLine(e));
      }
      throw e;
    }
    return 0;
  }

  /** Training needs examples to train and test on, and validation examples when it may stop early. */
  private DatasetSpec checkedSizes(TrainConfig train) {
    Preconditions.checkArgument(trainSize >= 1, "--train-size must be at least 1, got %s", trainSize);
    Preconditions.checkArgument(testSize >= 1, "--test-size must be at least 1 per operator, got %s", testSize);
    Preconditions.checkArgument(
        valSize >= 1 || train.targetAccuracy() > 1,
        "--target %s stops early on validation accuracy, but --val-size is 0: give validation examples or drop --target",
        train.targetAccuracy());
    return sizes();
  }

  DatasetSpec sizes() {
    return new DatasetSpec(trainSize, valSize, testSize);
  }

  /** --export DIR, or for a bare --export saved_models/RUN-TIMESTAMP (unique per run), or null. */
  private Path exportDirectory(Path out) {
    if (export == null) {
      return null;
    }
    if (!export.isEmpty()) {
      return Path.of(export);
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
    return Path.of("saved_models", out.getFileName() + "-" + stamp);
  }

  private static String format(Map<String, Double> accuracy) {
    StringBuilder s = new StringBuilder();
    accuracy.forEach((k, v) -> s.append(s.length() == 0 ? "" : " ").append(k).append('=').append(String.format("%.3f", v)));
    return s.toString();
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new Train(), args);
  }
}
