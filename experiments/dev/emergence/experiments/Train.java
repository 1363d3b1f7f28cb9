package dev.emergence.experiments;

import dev.emergence.listops.Arity;
import dev.emergence.listops.Composition;
import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.Mix;
import dev.emergence.listops.Vocabulary;
import dev.emergence.nn.GptConfig;
import dev.emergence.optim.AdamW;
import dev.emergence.report.Json;
import dev.emergence.report.RunDirectory;
import dev.emergence.session.GraphSession;
import dev.emergence.train.GptGraph;
import dev.emergence.train.ListOpsTask;
import dev.emergence.train.ModelExport;
import dev.emergence.train.TrainConfig;
import dev.emergence.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Train a small transformer on a ListOps mix; writes config.json, metrics.jsonl, result.json and a SavedModel. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train a small transformer on a ListOps mix; report test accuracy per operator.")
public final class Train implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--tasks", description = "Operator mix: SUM, MAX,MED,SUM or MAX:1,MED:1,SUM:2 (default: ${DEFAULT-VALUE}).")
  String tasks = "SUM";

  @Option(names = "--composition", description = "mixed or pure (default: ${DEFAULT-VALUE}).")
  String composition = "mixed";

  @Option(names = "--depth", description = "Maximum nesting depth (default: ${DEFAULT-VALUE}).")
  int depth = GeneratorConfig.DEFAULT_MAX_DEPTH;

  @Option(names = "--arity", description = "Arguments per list, MIN-MAX or MAX (default: ${DEFAULT-VALUE}).")
  String arity = Arity.DEFAULT.toString();

  @Option(names = "--modulus", description = "Numbers are 0..N-1 (default: ${DEFAULT-VALUE}).")
  int modulus = 10;

  @Option(names = "--cot", description = "Train on chain-of-thought targets 'expr = step = ... = answer <end>'.")
  boolean cot;

  @Option(names = "--train-size", description = "Training examples (default: ${DEFAULT-VALUE}).")
  int trainSize = 200_000;

  @Option(names = "--val-size", description = "Validation examples per operator (default: ${DEFAULT-VALUE}).")
  int valSize = 500;

  @Option(names = "--test-size", description = "Test examples per operator (default: ${DEFAULT-VALUE}).")
  int testSize = 2000;

  @Option(names = "--d-model", description = "Model width (default: ${DEFAULT-VALUE}).")
  int dModel = 32;

  @Option(names = "--layers", description = "Blocks (default: ${DEFAULT-VALUE}).")
  int layers = 1;

  @Option(names = "--heads", description = "Attention heads (default: ${DEFAULT-VALUE}).")
  int heads = 2;

  @Option(names = "--mlp-ratio", description = "MLP hidden width / d_model (default: ${DEFAULT-VALUE}).")
  int mlpRatio = 4;

  @Option(names = "--loops", description = "Apply the block stack this many times with shared weights (default: ${DEFAULT-VALUE}).")
  int loops = 1;

  @Option(names = "--untied", description = "Own output head instead of the tied token embedding.")
  boolean untied;

  @Option(names = "--dropout", description = "Dropout probability (default: ${DEFAULT-VALUE}).")
  double dropout = 0;

  @Option(names = "--context", description = "Context length (default: the longest sequence of the data).")
  Integer context;

  @Option(names = "--steps", description = "Step budget (default: ${DEFAULT-VALUE}).")
  int steps = 2000;

  @Option(names = "--batch", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
  int batch = 256;

  @Option(names = "--lr", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  double lr = 3e-3;

  @Option(names = "--warmup", description = "Linear warmup steps (default: ${DEFAULT-VALUE}).")
  int warmup = 200;

  @Option(names = "--final-lr", description = "Cosine ends at this fraction of the peak (default: ${DEFAULT-VALUE}).")
  double finalLr = 0.1;

  @Option(names = "--weight-decay", description = "AdamW decay on matrices (default: ${DEFAULT-VALUE}).")
  double weightDecay = 0.01;

  @Option(names = "--eval-every", description = "Validate every N steps (default: ${DEFAULT-VALUE}).")
  int evalEvery = 250;

  @Option(names = "--target", description = "Stop early once validation accuracy is at or above this (default: ${DEFAULT-VALUE}: never).")
  double target = 1.01;

  @Option(names = "--patience", description = "Evaluations in a row at or above --target before stopping (default: ${DEFAULT-VALUE}).")
  int patience = 2;

  @Option(names = "--loss", description = "answer (tokens after the first '=') or all (default: ${DEFAULT-VALUE}).")
  TrainConfig.LossOn loss = TrainConfig.LossOn.ANSWER;

  @Option(names = "--loss-every", description = "Fetch the training loss every N steps (default: ${DEFAULT-VALUE}).")
  int lossEvery = 10;

  @Option(
      names = "--export",
      arity = "0..1",
      fallbackValue = "",
      description = "Export a SavedModel to DIR (without DIR: saved_models/<run-id>).")
  String export;

  @Option(names = "--no-progress", description = "No progress bar.")
  boolean noProgress;

  @Override
  public Integer call() {
    Mix mix = Mix.parse(tasks);
    GeneratorConfig generator =
        GeneratorConfig.defaults(mix)
            .withComposition(Composition.parse(composition))
            .withMaxDepth(depth)
            .withArity(Arity.parse(arity))
            .withModulus(modulus);
    TrainConfig train =
        new TrainConfig(steps, batch, lr, 0.9, 0.98, weightDecay, warmup, finalLr, evalEvery, target, patience, loss, lossEvery);
    // Validate the model shape before spending time on data.
    GptConfig probeShape = new GptConfig(new Vocabulary(modulus).size(), context == null ? 1 : context, layers, heads, dModel, mlpRatio, !untied, loops, dropout);
    Path out = common.outOr("train");
    ListOpsTask task = ListOpsTask.build(generator, new DatasetSpec(trainSize, valSize, testSize), common.seed, cot);
    GptConfig model =
        new GptConfig(probeShape.vocab(), context == null ? task.length() - 1 : context, layers, heads, dModel, mlpRatio, !untied, loops, dropout);
    model.checkFits(task.length() - 1);
    RunDirectory run = RunDirectory.create(out);
    Path exportDir = export == null ? null : export.isEmpty() ? Path.of("saved_models", out.getFileName().toString()) : Path.of(export);

    Map<String, Object> taskJson = new LinkedHashMap<>();
    taskJson.put("tasks", mix.toString());
    taskJson.put("composition", generator.composition().toString());
    taskJson.put("depth", depth);
    taskJson.put("arity", generator.arity().toString());
    taskJson.put("modulus", modulus);
    taskJson.put("leaf_probability", generator.leafProbability());
    taskJson.put("cot", cot);
    taskJson.put("sequence_length", task.length());
    taskJson.put("train_size", trainSize);
    taskJson.put("val_size_per_operator", valSize);
    taskJson.put("test_size_per_operator", testSize);
    taskJson.put("data_seed", common.seed);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("command", "train");
    config.put("args", commandLine());
    config.put("task", taskJson);
    config.put("model", model);
    config.put("training", train);
    config.put("seed", common.seed);
    config.put("threads", common.threads);
    config.put("device", common.device.toString().toLowerCase(java.util.Locale.ROOT));
    config.put("export", exportDir == null ? null : exportDir.toString());
    run.writeConfig(config);

    try (GraphSession session = new GraphSession(common.sessionConfig())) {
      Trainer trainer = new Trainer(session, model, train, task, common.seed);
      Trainer.Result result = trainer.run(run::appendMetrics, !noProgress);
      if (exportDir != null) {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("vocabulary.json", Json.pretty(vocabulary(task)));
        Map<String, Object> exported = new LinkedHashMap<>(taskJson);
        exported.put("model", model);
        exported.put("signatures", List.of(GptGraph.SERVING, GptGraph.PROBE, GptGraph.ABLATE));
        extra.put("task.json", Json.pretty(exported));
        ModelExport.export(session, exportDir, trainer.graph().signatures(), extra);
      }
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("params", result.params());
      json.put("test_accuracy", result.testAccuracy());
      json.put("majority_baseline", result.majorityBaseline());
      json.put("validation_accuracy", result.validationAccuracy());
      json.put("steps", result.steps());
      json.put("early_stopped", result.earlyStopped());
      json.put("plateaued", result.plateaued());
      json.put("final_loss", result.finalLoss());
      json.put("wall_s", result.wallSeconds());
      json.put("train_s", result.trainSeconds());
      json.put("tokens_per_s", result.tokensPerSecond());
      json.put("export", exportDir == null ? null : exportDir.toString());
      run.writeResult(json);
      java.io.PrintWriter stdout = spec.commandLine().getOut();
      stdout.printf(
          "test accuracy %s (majority baseline %s) after %d steps, %d params, %.1f s, %.0f tokens/s%n",
          format(result.testAccuracy()), format(result.majorityBaseline()), result.steps(), result.params(), result.wallSeconds(), result.tokensPerSecond());
      stdout.println("result: " + run.resolve(RunDirectory.RESULT) + (exportDir == null ? "" : ", SavedModel: " + exportDir));
      stdout.flush();
    }
    return 0;
  }

  private static Map<String, Object> vocabulary(ListOpsTask task) {
    Vocabulary v = task.tokenizer().vocabulary();
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      tokens.add(v.token(i));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("modulus", v.modulus());
    out.put("tokens", tokens);
    out.put("pad", Vocabulary.PAD);
    out.put("end", Vocabulary.END);
    out.put("equals", Vocabulary.EQUALS);
    out.put("first_number", Vocabulary.FIRST_NUMBER);
    return out;
  }

  private static String format(Map<String, Double> accuracy) {
    StringBuilder s = new StringBuilder();
    accuracy.forEach((k, v) -> s.append(s.length() == 0 ? "" : " ").append(k).append('=').append(String.format("%.3f", v)));
    return s.toString();
  }

  private String commandLine() {
    return String.join(" ", spec.commandLine().getParseResult().originalArgs());
  }

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    Emergence.Cli.run(new Train(), args);
  }
}
