package dev.emergence.experiments;

import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.Vocabulary;
import dev.emergence.nn.GptConfig;
import dev.emergence.report.RunDirectory;
import dev.emergence.session.GraphSession;
import dev.emergence.train.GptExport;
import dev.emergence.train.ListOpsTask;
import dev.emergence.train.TrainConfig;
import dev.emergence.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
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
      description = "Export a SavedModel to DIR (without DIR: saved_models/<run-id>).")
  String export;

  @Option(names = "--no-progress", description = "No progress bar.")
  boolean noProgress;

  TrainConfig trainConfig() {
    return optimizer
        .applyTo(TrainConfig.builder())
        .steps(steps).batch(batch).evalEvery(evalEvery).target(target, patience).lossOn(loss).lossEvery(lossEvery)
        .build();
  }

  DatasetSpec sizes() {
    return new DatasetSpec(trainSize, valSize, testSize);
  }

  @Override
  public Integer call() {
    GeneratorConfig generator = task.config();
    TrainConfig train = trainConfig();
    // Validate the model shape before spending time on data.
    shape.config(new Vocabulary(generator.modulus()).size(), 1);
    Path out = common.outOr("train");
    ListOpsTask data = ListOpsTask.build(generator, sizes(), common.seed, cot);
    GptConfig model = shape.config(data.vocab(), data.length() - 1);
    model.checkFits(data.length() - 1);
    RunDirectory run = RunDirectory.create(out);
    Path exportDir = export == null ? null : export.isEmpty() ? Path.of("saved_models", out.getFileName().toString()) : Path.of(export);

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
    run.writeConfig(config);

    try (GraphSession session = new GraphSession(common.sessionConfig())) {
      Trainer trainer = new Trainer(session, model, train, data, common.seed);
      Trainer.Result result = trainer.run(run::appendMetrics, !noProgress).withExport(exportDir);
      if (exportDir != null) {
        GptExport.export(session, trainer.graph(), data, exportDir);
      }
      run.writeResult(result);
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.printf(
          "test accuracy %s (majority baseline %s) after %d steps, %d params, %.1f s, %.0f tokens/s%n",
          format(result.testAccuracy()), format(result.majorityBaseline()), result.steps(), result.params(), result.wallSeconds(), result.tokensPerSecond());
      stdout.println("result: " + run.resolve(RunDirectory.RESULT) + (exportDir == null ? "" : ", SavedModel: " + exportDir));
      stdout.flush();
    }
    return 0;
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
