package dev.emergence.experiments;

import com.google.common.base.Preconditions;
import dev.emergence.probe.Ablation;
import dev.emergence.probe.ExportedModel;
import dev.emergence.probe.ProbeFigures;
import dev.emergence.probe.ProbeResult;
import dev.emergence.probe.Prober;
import dev.emergence.report.Json;
import dev.emergence.report.RunDirectory;
import dev.emergence.session.SessionConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
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
 * Probe exported transformers (findings E4 and E5): number-embedding geometry, parity and modular
 * probes along the residual stream, attention against feed-forward reliance, ablations. One model
 * ({@code --model}) or two side by side ({@code --compare}); writes pca.png, cosine.png,
 * probe.json.
 */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description =
        "Probe a SavedModel: number embeddings (PCA, cosine), parity probe, attention vs MLP reliance, ablations.")
public final class Probe implements Callable<Integer> {
  public static final String PROBE_JSON = "probe.json";

  @Mixin CommonOptions common = new CommonOptions();
  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "The SavedModel to probe (written by train --export).")
  Path model;

  @Option(
      names = "--compare",
      arity = "2",
      paramLabel = "DIR",
      description = "Two SavedModels to probe side by side.")
  List<Path> compare;

  @Option(
      names = "--examples",
      description = "Test expressions per operator (default: ${DEFAULT-VALUE}).")
  int examples = Prober.DEFAULT_EXAMPLES;

  @Option(
      names = "--no-ablation",
      description = "Skip the ablations (they decode the test set 1 + 2 x layers x loops times).")
  boolean noAblation;

  @Override
  public Integer call() {
    Preconditions.checkArgument(
        (model == null) != (compare == null),
        "give either --model DIR or --compare DIR_A DIR_B (exactly one of them)");
    Preconditions.checkArgument(examples >= 1, "--examples must be at least 1, got %s", examples);
    SessionConfig session = common.sessionConfig();
    List<Path> dirs = model != null ? List.of(model) : compare;
    // every model is opened (and checked) before the run directory exists
    List<ExportedModel> models = new ArrayList<>();
    try {
      for (Path dir : dirs) {
        models.add(ExportedModel.open(dir, session));
      }
      return run(session, models);
    } finally {
      models.forEach(ExportedModel::close);
    }
  }

  private int run(SessionConfig session, List<ExportedModel> models) {
    List<String> labels = labels(models);
    RunDirectory run = common.runDirectory("probe", false, false);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("command", "probe");
    config.put("args", String.join(" ", spec.commandLine().getParseResult().originalArgs()));
    config.put("models", models.stream().map(m -> m.dir().toString()).toList());
    config.put("examples_per_operator", examples);
    config.put("ablation", !noAblation);
    config.put("seed", common.seed);
    config.put("threads", common.threads);
    run.run(
        config,
        () -> {
          Prober prober = new Prober(session, examples, common.seed, !noAblation);
          List<ProbeResult> results = new ArrayList<>();
          for (ExportedModel m : models) {
            results.add(prober.probe(m));
          }
          ProbeFigures.write(run.root(), labels, results);
          Object json =
              results.size() == 1
                  ? results.get(0)
                  : new Compared(labels, compared(labels, results));
          Json.write(run.resolve(PROBE_JSON), json);
          PrintWriter out = spec.commandLine().getOut();
          out.print(table(labels, results));
          out.println(
              "wrote "
                  + run.resolve(ProbeFigures.PCA)
                  + ", "
                  + ProbeFigures.COSINE
                  + ", "
                  + PROBE_JSON);
          out.flush();
          return json;
        });
    return 0;
  }

  /** probe.json in compare mode: the labels in order and each model's result under its label. */
  record Compared(List<String> labels, Map<String, ProbeResult> models) {}

  /** Each model's result under its label, in order. */
  static Map<String, ProbeResult> compared(List<String> labels, List<ProbeResult> results) {
    Map<String, ProbeResult> models = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      models.put(labels.get(i), results.get(i));
    }
    return models;
  }

  /** Panel titles: the directories' names, prefixed with A/B when they are equal. */
  static List<String> labels(List<ExportedModel> models) {
    List<String> names =
        models.stream()
            .map(m -> m.dir().toAbsolutePath().normalize().getFileName().toString())
            .toList();
    if (names.size() == 2 && names.get(0).equals(names.get(1))) {
      return List.of("A " + names.get(0), "B " + names.get(1));
    }
    return names;
  }

  /** A Markdown table of the headline numbers, one column per model. */
  static String table(List<String> labels, List<ProbeResult> results) {
    Map<String, List<String>> rows = new LinkedHashMap<>();
    int k = results.size();
    for (int column = 0; column < k; column++) {
      final int i = column;
      ProbeResult r = results.get(i);
      put(rows, "tasks", i, k, r.task().tasks());
      put(rows, "params", i, k, Long.toString(r.params()));
      put(rows, "order (Spearman, PC1 vs value)", i, k, num(r.order()));
      double[] ev = r.explainedVariance();
      put(
          rows,
          "explained variance PC1, PC2",
          i,
          k,
          num(ev.length > 0 ? ev[0] : null) + ", " + num(ev.length > 1 ? ev[1] : null));
      String parity = r.task().group() == null ? "parity" : "sign (parity)";
      r.parityProbeAccuracy()
          .forEach((key, v) -> put(rows, parity + " probe @ " + key, i, k, num(v)));
      if (r.cycleTypeProbeAccuracy() != null) {
        r.cycleTypeProbeAccuracy()
            .forEach((key, v) -> put(rows, "cycle type probe @ " + key, i, k, num(v)));
      }
      r.modular()
          .forEach(
              (p, byKey) -> {
                if (!p.equals("2")) {
                  byKey.forEach(
                      (key, v) -> put(rows, "mod " + p + " probe @ " + key, i, k, num(v)));
                }
              });
      r.attentionRatio().forEach((key, v) -> put(rows, "attention ratio " + key, i, k, num(v)));
      r.ffnRatio().forEach((key, v) -> put(rows, "ffn ratio " + key, i, k, num(v)));
      Ablation a = r.ablation();
      if (a != null) {
        a.intact().forEach((op, v) -> put(rows, "accuracy " + op, i, k, num(v)));
        a.attention()
            .forEach(
                (key, acc) ->
                    put(
                        rows,
                        "accuracy, attention " + key + " zeroed",
                        i,
                        k,
                        num(acc.get("overall"))));
        a.mlp()
            .forEach(
                (key, acc) ->
                    put(rows, "accuracy, MLP " + key + " zeroed", i, k, num(acc.get("overall"))));
      }
    }
    StringBuilder s = new StringBuilder("| |");
    labels.forEach(l -> s.append(' ').append(l).append(" |"));
    s.append("\n|---|").append("---|".repeat(k)).append('\n');
    rows.forEach(
        (name, values) -> {
          s.append("| ").append(name).append(" |");
          values.forEach(v -> s.append(' ').append(v).append(" |"));
          s.append('\n');
        });
    return s.toString();
  }

  private static void put(
      Map<String, List<String>> rows, String name, int column, int columns, String value) {
    List<String> row =
        rows.computeIfAbsent(
            name, n -> new ArrayList<>(java.util.Collections.nCopies(columns, "-")));
    row.set(column, value);
  }

  private static String num(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.3f", v);
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new Probe(), args);
  }
}
