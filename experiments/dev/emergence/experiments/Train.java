package dev.emergence.experiments;

import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.Vocabulary;
import dev.emergence.nn.GptConfig;
import com.google.common.base.Preconditions;
import dev.emergence.report.AtomicFiles;
import dev.emergence.report.RunDirectory;
import dev.emergence.report.tensorboard.TrainingLog;
import dev.emergence.session.SessionConfig;
import dev.emergence.session.GraphSession;
import dev.emergence.train.Checkpoints;
import dev.emergence.train.GptExport;
import dev.emergence.train.ListOpsTask;
import dev.emergence.train.TrainConfig;
import dev.emergence.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

  @Option(
      names = "--seeds",
      description = "Train several seeds as one stack: a count N (seeds 0..N-1) or a list 0,5,9; with several --lr values every seed trains at every rate. One run directory per member under --out, plus summary.json.")
  String seeds;

  @Option(names = "--checkpoint-every", description = "Stacks: save a checkpoint every N steps (0: never) (default: ${DEFAULT-VALUE}).")
  int checkpointEvery = 500;

  @Option(names = "--resume", description = "Stacks: continue a killed stack at --out from its last checkpoint.")
  boolean resume;

  TrainConfig trainConfig() {
    return optimizer
        .applyTo(TrainConfig.builder(), optimizer.rates().get(0))
        .steps(steps).batch(batch).evalEvery(evalEvery).target(target, patience).lossOn(loss).lossEvery(lossEvery)
        .build();
  }

  @Override
  public Integer call() {
    // Every check before any work: options, model shape, data sizes, threads, export path, --out.
    GeneratorConfig generator = task.config();
    TrainConfig train = trainConfig();
    List<Long> seedList = seedList();
    if (seedList.size() > 1 || optimizer.rates().size() > 1 || resume) {
      return new TrainStack(this, generator, train, seedList, optimizer.rates()).call();
    }
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

    try (GraphSession session = new GraphSession(sessionConfig);
        TrainingLog tensorboard = common.trainingLog(run.root())) {
      Trainer trainer = new Trainer(session, model, train, data, common.seed);
      // TensorBoard is written at evaluations only, outside the timed training steps
      Trainer.Outcome outcome = trainer.run((m, line) -> {
        run.appendMetrics(line);
        tensorboard.evaluation(line.step(), line.loss(), line.lr(), line.valAccuracy(), line.elapsedS(), line.tokensPerS());
        tensorboard.weights(line.step(), trainer.weights(0));
      }, !noProgress).get(0);
      if (outcome.diverged()) {
        run.diverged(outcome.reason(), outcome.divergedStep());
        throw new IllegalStateException(outcome.reason());
      }
      Trainer.Result result = outcome.result();
      tensorboard.test(result.steps(), result.testAccuracy());
      tensorboard.digits(trainer.weights(0).get("wte"), model.dModel(), Vocabulary.FIRST_NUMBER, generator.modulus());
      // the result is safe on disk before the export, which may still fail
      run.writeResult(result);
      if (exportDir != null) {
        GptExport.export(trainer, 0, exportDir, common.overwrite);
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
      if (!"diverged".equals(run.state().state())) {
        run.fail(Emergence.Cli.oneLine(e));
      }
      throw e;
    }
    return 0;
  }

  /** --seeds as a list: a count N is 0..N-1, a comma list is itself; without --seeds, --seed alone. */
  List<Long> seedList() {
    if (seeds == null) {
      return List.of(common.seed);
    }
    return SeedList.parse(seeds);
  }

  /** Training needs examples to train and test on, and validation examples when it may stop early. */
  DatasetSpec checkedSizes(TrainConfig train) {
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
  Path exportDirectory(Path out) {
    if (export == null) {
      return null;
    }
    if (!export.isEmpty()) {
      return Path.of(export);
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
    return Path.of("saved_models", out.getFileName() + "-" + stamp);
  }

  static String format(Map<String, Double> accuracy) {
    StringBuilder s = new StringBuilder();
    accuracy.forEach((k, v) -> s.append(s.length() == 0 ? "" : " ").append(k).append('=').append(String.format("%.3f", v)));
    return s.toString();
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new Train(), args);
  }

  /**
   * {@code train --seeds N|LIST [--lr A,B]}: every (seed, rate) member trains in one stack
   * ({@link StackedTrainer}); each member gets the run directory a single run of that seed would
   * write ({@code --out/seed-S}, or {@code seed-S-lr-R} with several rates), the stack a {@code
   * summary.json}, checkpoints under {@code --out/checkpoint} and {@code --resume}.
   */
  static final class TrainStack {
    private final Train cli;
    private final GeneratorConfig generator;
    private final TrainConfig train;
    private final List<Long> seeds;
    private final List<Double> rates;

    TrainStack(Train cli, GeneratorConfig generator, TrainConfig train, List<Long> seeds, List<Double> rates) {
      this.cli = cli;
      this.generator = generator;
      this.train = train;
      this.seeds = seeds;
      this.rates = rates;
    }

    private String memberName(long seed, double rate) {
      return rates.size() == 1 ? "seed-" + seed : "seed-" + seed + "-lr-" + rate;
    }

    Integer call() {
      CommonOptions common = cli.common;
      Preconditions.checkArgument(cli.checkpointEvery >= 0, "--checkpoint-every must be at least 0, got %s", cli.checkpointEvery);
      Preconditions.checkArgument(!(cli.resume && common.overwrite), "--resume continues a stack and --overwrite replaces it: pass one of them");
      DatasetSpec sizes = cli.checkedSizes(train);
      SessionConfig sessionConfig = common.sessionConfig();
      cli.shape.config(new Vocabulary(generator.modulus()).size(), 1);
      Path out = common.outOr("train");
      Path exportRoot = cli.exportDirectory(out);
      List<String> names = new ArrayList<>();
      for (long seed : seeds) {
        for (double rate : rates) {
          names.add(memberName(seed, rate));
        }
      }
      if (exportRoot != null) {
        for (String name : names) {
          AtomicFiles.checkPublishable(exportRoot.resolve(name), common.overwrite);
        }
      }
      RunDirectory root = common.runDirectory("train", true, cli.resume);
      Path checkpointDir = out.resolve("checkpoint");
      Preconditions.checkArgument(
          !cli.resume || new Checkpoints(checkpointDir, 1).exists(),
          "--resume: %s holds no checkpoint to continue from", out);
      List<RunDirectory> dirs = new ArrayList<>();
      for (String name : names) {
        dirs.add(RunDirectory.open(out.resolve(name), cli.resume ? RunDirectory.Reuse.RESUME : RunDirectory.Reuse.REFUSE, true));
      }

      Map<Long, ListOpsTask> tasks = new LinkedHashMap<>();
      for (long seed : seeds) {
        tasks.put(seed, ListOpsTask.build(generator, sizes, seed, cli.cot));
      }
      int length = tasks.values().stream().mapToInt(ListOpsTask::length).max().orElseThrow();
      ListOpsTask first = tasks.values().iterator().next();
      GptConfig model = cli.shape.config(first.vocab(), length - 1);
      model.checkFits(length - 1);
      List<Trainer.Member> members = new ArrayList<>();
      for (long seed : seeds) {
        for (double rate : rates) {
          members.add(new Trainer.Member(seed, rate, tasks.get(seed)));
        }
      }

      String args = String.join(" ", cli.spec.commandLine().getParseResult().originalArgs());
      Map<String, Object> stackConfig = new LinkedHashMap<>();
      stackConfig.put("command", "train");
      stackConfig.put("args", args);
      stackConfig.put("seeds", seeds);
      stackConfig.put("learning_rates", rates);
      stackConfig.put("members", names);
      stackConfig.put("model", model);
      stackConfig.put("training", train);
      stackConfig.put("threads", common.threads);
      stackConfig.put("device", common.device.toString().toLowerCase(Locale.ROOT));
      stackConfig.put("checkpoint_every", cli.checkpointEvery);
      root.start(stackConfig);
      int resumedAt = cli.resume ? new Checkpoints(checkpointDir, 1).step() : 0;
      for (int m = 0; m < members.size(); m++) {
        Trainer.Member member = members.get(m);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("command", "train");
        config.put("args", args);
        config.put("stack", out.toString());
        config.put("task", member.task().description());
        config.put("model", model);
        config.put("training", train.toBuilder().learningRate(member.learningRate()).build());
        config.put("seed", member.seed());
        config.put("threads", common.threads);
        config.put("device", common.device.toString().toLowerCase(Locale.ROOT));
        config.put("export", exportRoot == null ? null : exportRoot.resolve(names.get(m)).toString());
        if (cli.resume) {
          keepMetricsUpTo(dirs.get(m), resumedAt);
        }
        dirs.get(m).start(config);
      }

      List<TrainingLog> tensorboards = new ArrayList<>();
      for (RunDirectory dir : dirs) {
        tensorboards.add(common.trainingLog(dir.root()));
      }
      try (GraphSession session = new GraphSession(sessionConfig)) {
        Trainer trainer = new Trainer(session, model, train, members);
        List<Trainer.Outcome> outcomes =
            trainer.run(
                (m, line) -> {
                  dirs.get(m).appendMetrics(line);
                  tensorboards.get(m).evaluation(line.step(), line.loss(), line.lr(), line.valAccuracy(), line.elapsedS(), line.tokensPerS());
                },
                !cli.noProgress,
                cli.checkpointEvery == 0 ? null : new Checkpoints(checkpointDir, cli.checkpointEvery));
        List<Map<String, Object>> summary = new ArrayList<>();
        List<String> diverged = new ArrayList<>();
        PrintWriter stdout = cli.spec.commandLine().getOut();
        for (int m = 0; m < members.size(); m++) {
          Trainer.Outcome outcome = outcomes.get(m);
          RunDirectory dir = dirs.get(m);
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("member", names.get(m));
          line.put("seed", members.get(m).seed());
          line.put("lr", members.get(m).learningRate());
          line.put("dir", dir.root().toString());
          if (outcome.diverged()) {
            dir.diverged(outcome.reason(), outcome.divergedStep());
            diverged.add(names.get(m) + ": " + outcome.reason());
            line.put("state", "diverged");
            line.put("reason", outcome.reason());
            summary.add(line);
            continue;
          }
          Trainer.Result result = outcome.result();
          tensorboards.get(m).test(result.steps(), result.testAccuracy());
          dir.writeResult(result);
          if (exportRoot != null) {
            Path exportDir = exportRoot.resolve(names.get(m));
            GptExport.export(trainer, m, exportDir, common.overwrite);
            result = result.withExport(exportDir);
          }
          dir.finish(result);
          line.put("state", "done");
          line.put("steps", result.steps());
          line.put("early_stopped", result.earlyStopped());
          line.put("final_loss", result.finalLoss());
          line.put("test_accuracy", result.testAccuracy());
          summary.add(line);
          stdout.printf("%s: test accuracy %s after %d steps%n", names.get(m), format(result.testAccuracy()), result.steps());
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("models", members.size());
        record.put("params_per_model", model.parameterCount());
        record.put("members", summary);
        record.put("wall_s", outcomes.stream().filter(o -> !o.diverged()).mapToDouble(o -> o.result().wallSeconds()).max().orElse(0));
        dev.emergence.report.Json.write(out.resolve("summary.json"), record);
        if (cli.checkpointEvery > 0) {
          deleteQuietly(checkpointDir);
        }
        if (!diverged.isEmpty()) {
          root.diverged(String.join("; ", diverged), train.steps());
          throw new IllegalStateException("diverged: " + String.join("; ", diverged));
        }
        root.finish(record);
        stdout.println("summary: " + out.resolve("summary.json"));
        stdout.flush();
      } catch (RuntimeException | Error e) {
        String reason = Emergence.Cli.oneLine(e);
        if (!(e instanceof IllegalStateException && reason.contains("diverged:"))) {
          root.fail(reason);
          for (RunDirectory dir : dirs) {
            RunDirectory.State state = dir.state();
            if (state == null || state.state().equals("running")) {
              dir.fail(reason);
            }
          }
        }
        throw e;
      } finally {
        tensorboards.forEach(TrainingLog::close);
      }
      return 0;
    }

    /** On resume, the metrics lines after the checkpoint are written again: drop the earlier copies. */
    private static void keepMetricsUpTo(RunDirectory dir, int step) {
      Path file = dir.resolve(RunDirectory.METRICS);
      if (!java.nio.file.Files.exists(file)) {
        return;
      }
      try {
        List<String> kept = new ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(file)) {
          if (!line.isBlank() && dev.emergence.report.Json.mapper().readTree(line).get("step").asInt() <= step) {
            kept.add(line);
          }
        }
        AtomicFiles.write(file, (String.join("\n", kept) + (kept.isEmpty() ? "" : "\n")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }

    private static void deleteQuietly(Path dir) {
      try {
        AtomicFiles.deleteRecursively(dir);
      } catch (java.io.IOException e) {
        // a leftover checkpoint is harmless
      }
    }
  }
}
