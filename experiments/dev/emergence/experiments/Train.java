package dev.emergence.experiments;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.google.common.base.Preconditions;
import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.Vocabulary;
import dev.emergence.nn.GptConfig;
import dev.emergence.report.AtomicFiles;
import dev.emergence.report.Json;
import dev.emergence.report.RunDirectory;
import dev.emergence.report.StopSignal;
import dev.emergence.report.tensorboard.TrainingLog;
import dev.emergence.session.GraphSession;
import dev.emergence.train.Checkpoints;
import dev.emergence.train.GptExport;
import dev.emergence.train.ListOpsTask;
import dev.emergence.train.TrainConfig;
import dev.emergence.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
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
 * Train small transformers on a ListOps mix: one model (the run directory is --out), or with
 * --seeds and/or several --lr values every (seed, rate) member in one stack (a run directory per
 * member under --out, plus summary.json); both the same {@link Trainer}. Each member writes
 * config.json, metrics.jsonl, result.json and optionally a SavedModel. Every default comes from the
 * library: {@link TrainConfig#defaults()}, {@link Trainer#defaultModel}, {@link
 * ListOpsTask#DEFAULT_SIZES} and {@link GeneratorConfig#defaults}.
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
  @Mixin GroupOption group = new GroupOption();
  @Mixin GptShapeOptions shape = new GptShapeOptions(Trainer.defaultModel(1, 1));
  @Mixin OptimizerOptions optimizer = new OptimizerOptions();
  @Spec CommandSpec spec;

  @Option(
      names = "--cot",
      description = "Train on chain-of-thought targets 'expr = step = ... = answer <end>'.")
  boolean cot;

  @Option(names = "--train-size", description = "Training examples (default: ${DEFAULT-VALUE}).")
  int trainSize = SIZES.trainSize();

  @Option(
      names = "--val-size",
      description = "Validation examples per operator (default: ${DEFAULT-VALUE}).")
  int valSize = SIZES.validationPerOperator();

  @Option(
      names = "--test-size",
      description = "Test examples per operator (default: ${DEFAULT-VALUE}).")
  int testSize = SIZES.testPerOperator();

  @Option(names = "--steps", description = "Step budget (default: ${DEFAULT-VALUE}).")
  int steps = DEFAULTS.steps();

  @Option(names = "--batch", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
  int batch = DEFAULTS.batch();

  @Option(
      names = "--eval-every",
      description = "Validate every N steps (default: ${DEFAULT-VALUE}).")
  int evalEvery = DEFAULTS.evalEvery();

  @Option(
      names = "--target",
      description =
          "Stop early once validation accuracy is at or above this (default: ${DEFAULT-VALUE}: never).")
  double target = DEFAULTS.targetAccuracy();

  @Option(
      names = "--patience",
      description =
          "Evaluations in a row at or above --target before stopping (default: ${DEFAULT-VALUE}).")
  int patience = DEFAULTS.patience();

  @Option(
      names = "--loss",
      description = "answer (tokens after the first '=') or all (default: ${DEFAULT-VALUE}).")
  TrainConfig.LossOn loss = DEFAULTS.lossOn();

  @Option(
      names = "--loss-every",
      description = "Fetch the training loss every N steps (default: ${DEFAULT-VALUE}).")
  int lossEvery = DEFAULTS.lossEvery();

  @Option(
      names = "--export",
      arity = "0..1",
      fallbackValue = "",
      description =
          "Export a SavedModel to DIR (without DIR: saved_models/<out name>-<timestamp>; with several members DIR/<member>); an existing one is replaced only with --overwrite.")
  String export;

  @Option(names = "--no-progress", description = "No progress bar.")
  boolean noProgress;

  @Option(
      names = "--seeds",
      description =
          "Train several seeds as one stack: a count N (seeds 0..N-1) or a list 0,5,9; with several --lr values every seed trains at every rate. One run directory per member under --out, plus summary.json.")
  String seeds;

  @Option(
      names = "--checkpoint-every",
      description =
          "Save a checkpoint under --out/checkpoint every N steps (0: never) (default: ${DEFAULT-VALUE}).")
  int checkpointEvery = 500;

  @Option(
      names = "--resume",
      description = "Continue a killed run at --out from its last checkpoint.")
  boolean resume;

  /**
   * config.json of a member's run: everything needed to rerun it ({@code stack}: the stack's
   * directory, for members of several).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder(alphabetic = true)
  record RunConfig(
      String command,
      String args,
      @JsonInclude(JsonInclude.Include.NON_NULL) String stack,
      ListOpsTask.Description task,
      GptConfig model,
      TrainConfig training,
      long seed,
      int threads,
      String device,
      String export) {}

  /** config.json at --out of a stack of several members. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder(alphabetic = true)
  record StackConfig(
      String command,
      String args,
      List<Long> seeds,
      List<Double> learningRates,
      List<String> members,
      GptConfig model,
      TrainConfig training,
      int threads,
      String device,
      int checkpointEvery) {}

  /** summary.json (and result.json) at --out of a stack: each member's end. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder(alphabetic = true)
  record Summary(int models, long paramsPerModel, List<MemberEnd> members, double wallS) {
    /**
     * Throws {@link RunDirectory.Diverged} when a member diverged: its reason (alone), or every
     * such member's.
     */
    void checkNoneDiverged(int steps) {
      List<MemberEnd> diverged = members.stream().filter(m -> m.reason() != null).toList();
      if (diverged.size() == 1 && members.size() == 1) {
        throw new RunDirectory.Diverged(diverged.get(0).reason(), steps);
      }
      if (!diverged.isEmpty()) {
        throw new RunDirectory.Diverged(
            "diverged: "
                + String.join(
                    "; ", diverged.stream().map(m -> m.member() + ": " + m.reason()).toList()),
            steps);
      }
    }
  }

  /** One member in summary.json: its state, and its result or why it diverged. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder(alphabetic = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record MemberEnd(
      String member,
      long seed,
      double lr,
      String dir,
      String state,
      String reason,
      Integer steps,
      Boolean earlyStopped,
      Double finalLoss,
      Map<String, Double> testAccuracy) {}

  TrainConfig trainConfig() {
    return optimizer
        .applyTo(TrainConfig.builder(), optimizer.rates().get(0))
        .steps(steps)
        .batch(batch)
        .evalEvery(evalEvery)
        .target(target, patience)
        .lossOn(loss)
        .lossEvery(lossEvery)
        .build();
  }

  @Override
  public Integer call() {
    // Every check before any work: options, model shape, data sizes, threads, export paths, --out.
    GeneratorConfig generator = group.config(task);
    TrainConfig train = trainConfig();
    List<Long> seedList = seeds == null ? List.of(common.seed) : SeedList.parse(seeds);
    List<Double> rates = optimizer.rates();
    Preconditions.checkArgument(
        checkpointEvery >= 0, "--checkpoint-every must be at least 0, got %s", checkpointEvery);
    Preconditions.checkArgument(
        !(resume && common.overwrite),
        "--resume continues a run and --overwrite replaces it: pass one of them");
    DatasetSpec sizes = checkedSizes(train);
    common.sessionConfig();
    shape.config(new Vocabulary(generator.domain()).size(), 1);
    boolean alone =
        seedList.size() == 1 && rates.size() == 1; // --out is the model's own run directory
    Path out = common.outOr("train");
    Path exportRoot = exportDirectory(out);
    List<String> names = new ArrayList<>();
    List<Trainer.Member> members = new ArrayList<>();
    Map<Long, ListOpsTask> tasks = new LinkedHashMap<>();
    for (long seed : seedList) {
      for (double rate : rates) {
        names.add(alone ? "" : rates.size() == 1 ? "seed-" + seed : "seed-" + seed + "-lr-" + rate);
      }
    }
    List<Path> exports = new ArrayList<>();
    for (String name : names) {
      exports.add(exportRoot == null ? null : alone ? exportRoot : exportRoot.resolve(name));
      if (exportRoot != null) {
        AtomicFiles.checkPublishable(exports.get(exports.size() - 1), common.overwrite);
      }
    }
    // the data before any directory: a context too short for its rows leaves nothing behind
    for (long seed : seedList) {
      tasks.put(seed, ListOpsTask.build(generator, sizes, seed, cot));
      for (double rate : rates) {
        members.add(new Trainer.Member(seed, rate, tasks.get(seed)));
      }
    }
    int length = tasks.values().stream().mapToInt(ListOpsTask::length).max().orElseThrow();
    GptConfig model = shape.config(tasks.get(seedList.get(0)).vocab(), length - 1);
    model.checkFits(length - 1);
    RunDirectory root = common.runDirectory("train", true, resume);
    Checkpoints checkpoints =
        new Checkpoints(out.resolve("checkpoint"), Math.max(checkpointEvery, 1));
    Preconditions.checkArgument(
        !resume || checkpoints.exists(), "--resume: %s holds no checkpoint to continue from", out);
    List<RunDirectory> dirs = new ArrayList<>();
    for (String name : names) {
      dirs.add(
          alone
              ? root
              : RunDirectory.open(
                  out.resolve(name),
                  resume ? RunDirectory.Reuse.RESUME : RunDirectory.Reuse.REFUSE,
                  true));
    }

    String args = String.join(" ", spec.commandLine().getParseResult().originalArgs());
    String device = common.device.toString().toLowerCase(Locale.ROOT);
    List<RunConfig> configs = new ArrayList<>();
    for (int m = 0; m < members.size(); m++) {
      Trainer.Member member = members.get(m);
      configs.add(
          new RunConfig(
              "train",
              args,
              alone ? null : out.toString(),
              member.task().description(),
              model,
              train.toBuilder().learningRate(member.learningRate()).build(),
              member.seed(),
              common.threads,
              device,
              exports.get(m) == null ? null : exports.get(m).toString()));
      if (resume) {
        dirs.get(m).keepMetricsUpTo(checkpoints.step());
      }
    }
    StopSignal.install();
    Stack stack =
        new Stack(
            names, members, dirs, exports, model, train, checkpointEvery == 0 ? null : checkpoints);
    if (alone) {
      RunDirectory.runEach(dirs, configs, stack::train).checkNoneDiverged(train.steps());
    } else {
      root.run(
          new StackConfig(
              "train",
              args,
              seedList,
              rates,
              names,
              model,
              train,
              common.threads,
              device,
              checkpointEvery),
          () -> {
            Summary summary = RunDirectory.runEach(dirs, configs, stack::train);
            Json.write(out.resolve("summary.json"), summary);
            summary.checkNoneDiverged(train.steps());
            spec.commandLine().getOut().println("summary: " + out.resolve("summary.json"));
            return summary;
          });
    }
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** The members of one training run and where each one's records go. */
  private final class Stack {
    private final List<String> names;
    private final List<Trainer.Member> members;
    private final List<RunDirectory> dirs;
    private final List<Path> exports;
    private final GptConfig model;
    private final TrainConfig train;
    private final Checkpoints checkpoints;

    Stack(
        List<String> names,
        List<Trainer.Member> members,
        List<RunDirectory> dirs,
        List<Path> exports,
        GptConfig model,
        TrainConfig train,
        Checkpoints checkpoints) {
      this.names = names;
      this.members = members;
      this.dirs = dirs;
      this.exports = exports;
      this.model = model;
      this.train = train;
      this.checkpoints = checkpoints;
    }

    /**
     * Trains every member; ends each member's run: done (with its result and export) or diverged.
     */
    Summary train() {
      List<TrainingLog> tensorboards = new ArrayList<>();
      try (GraphSession session = new GraphSession(common.sessionConfig())) {
        dirs.forEach(dir -> tensorboards.add(common.trainingLog(dir.root())));
        Trainer trainer =
            new Trainer(session, model, train, members).stopWhen(StopSignal.supplier());
        // TensorBoard is written at evaluations only, outside the timed training steps
        List<Trainer.Outcome> outcomes =
            trainer.run(
                (m, line) -> {
                  dirs.get(m).appendMetrics(line);
                  tensorboards
                      .get(m)
                      .evaluation(
                          line.step(),
                          line.loss(),
                          line.lr(),
                          line.valAccuracy(),
                          line.elapsedS(),
                          line.tokensPerS());
                  tensorboards.get(m).weights(line.step(), trainer.weights(m));
                },
                !noProgress,
                checkpoints);
        List<MemberEnd> ends = new ArrayList<>();
        PrintWriter stdout = spec.commandLine().getOut();
        for (int m = 0; m < members.size(); m++) {
          Trainer.Outcome outcome = outcomes.get(m);
          RunDirectory dir = dirs.get(m);
          Trainer.Member member = members.get(m);
          if (outcome.diverged()) {
            dir.diverged(outcome.reason(), outcome.divergedStep());
            ends.add(
                new MemberEnd(
                    names.get(m),
                    member.seed(),
                    member.learningRate(),
                    dir.root().toString(),
                    "diverged",
                    outcome.reason(),
                    null,
                    null,
                    null,
                    null));
            continue;
          }
          Trainer.Result result = outcome.result();
          tensorboards.get(m).test(result.steps(), result.testAccuracy());
          GeneratorConfig generator = member.task().dataset().config();
          if (generator
              .domain()
              .group()
              .isEmpty()) { // the projector labels digits (value, parity), not group elements yet
            tensorboards
                .get(m)
                .digits(
                    trainer.weights(m).get("wte"),
                    model.dModel(),
                    Vocabulary.FIRST_NUMBER,
                    generator.modulus());
          }
          dir.writeResult(result); // safe on disk before the export, which may still fail
          if (exports.get(m) != null) {
            GptExport.export(trainer, m, exports.get(m), common.overwrite);
            result = result.withExport(exports.get(m));
          }
          dir.finish(result);
          ends.add(
              new MemberEnd(
                  names.get(m),
                  member.seed(),
                  member.learningRate(),
                  dir.root().toString(),
                  "done",
                  null,
                  result.steps(),
                  result.earlyStopped(),
                  result.finalLoss(),
                  result.testAccuracy()));
          print(stdout, names.get(m), result, dir, exports.get(m));
        }
        if (checkpoints != null) {
          checkpoints.delete();
        }
        double wall =
            outcomes.stream()
                .filter(o -> !o.diverged())
                .mapToDouble(o -> o.result().wallSeconds())
                .max()
                .orElse(0);
        return new Summary(members.size(), model.parameterCount(), ends, wall);
      } finally {
        tensorboards.forEach(TrainingLog::close);
      }
    }
  }

  /** One line per member of a stack; a model alone gets its timing and the paths of its records. */
  private static void print(
      PrintWriter stdout, String name, Trainer.Result result, RunDirectory dir, Path export) {
    if (!name.isEmpty()) {
      stdout.printf(
          "%s: test accuracy %s after %d steps%n",
          name, format(result.testAccuracy()), result.steps());
      return;
    }
    stdout.printf(
        "test accuracy %s (majority baseline %s) after %d steps, %d params, %.1f s, %.0f tokens/s%n",
        format(result.testAccuracy()),
        format(result.majorityBaseline()),
        result.steps(),
        result.params(),
        result.wallSeconds(),
        result.tokensPerSecond());
    stdout.println(
        "result: "
            + dir.resolve(RunDirectory.RESULT)
            + (export == null ? "" : ", SavedModel: " + export));
  }

  /**
   * Training needs examples to train and test on, and validation examples when it may stop early.
   */
  DatasetSpec checkedSizes(TrainConfig train) {
    Preconditions.checkArgument(
        trainSize >= 1, "--train-size must be at least 1, got %s", trainSize);
    Preconditions.checkArgument(
        testSize >= 1, "--test-size must be at least 1 per operator, got %s", testSize);
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
    String stamp =
        LocalDateTime.now(ZoneId.systemDefault())
            .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
    return Path.of("saved_models", out.getFileName() + "-" + stamp);
  }

  static String format(Map<String, Double> accuracy) {
    StringBuilder s = new StringBuilder();
    accuracy.forEach(
        (k, v) ->
            s.append(s.length() == 0 ? "" : " ")
                .append(k)
                .append('=')
                .append(String.format("%.3f", v)));
    return s.toString();
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new Train(), args);
  }
}
