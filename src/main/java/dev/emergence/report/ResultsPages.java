package dev.emergence.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.base.CharMatcher;
import com.google.common.base.Preconditions;
import com.google.common.base.Splitter;
import dev.emergence.capacity.CellResult;
import dev.emergence.capacity.Comparison;
import dev.emergence.capacity.SweepStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The tables of the study pages ({@code experiments/results/<study>/README.md}), generated from the
 * results files beside them so that a page and its data cannot drift apart. A page asks for a table
 * with a marker line {@code <!-- table:KIND PATH -->}, PATH relative to the page, and the generated
 * table runs to the next {@code <!-- /table -->}; everything outside the markers is left as
 * written. Kinds: {@code sweep} (median test accuracy per size from results.csv), {@code
 * thresholds} and {@code comparisons} (thresholds.json), {@code speedup} (speedup.csv), {@code
 * distribution} (a reparam-bench's distribution.csv), {@code transfer} (a folder of curriculum
 * result.json files), {@code probe} (a folder of probe.json files), {@code bench} (a throughput
 * log), {@code command} (a command.txt, verbatim). Usage: {@code java -cp
 * "target/classes:target/lib/*" dev.emergence.report.ResultsPages [experiments/results]} rewrites
 * every page in place; {@code --check} only reports pages that differ.
 */
public final class ResultsPages {
  private static final Pattern OPEN = Pattern.compile("^<!-- table:([a-z]+) (\\S+) -->$");
  private static final String CLOSE = "<!-- /table -->";

  private ResultsPages() {}

  public static void main(String[] args) {
    boolean check = args.length > 0 && args[0].equals("--check");
    Path root =
        Path.of(args.length > (check ? 1 : 0) ? args[check ? 1 : 0] : "experiments/results");
    List<Path> stale = new ArrayList<>();
    for (Path page : pages(root)) {
      String now = read(page);
      String generated = generate(page, now);
      if (!generated.equals(now)) {
        stale.add(page);
        if (!check) {
          AtomicFiles.write(page, generated.getBytes(StandardCharsets.UTF_8));
        }
      }
    }
    stale.forEach(p -> System.out.println((check ? "stale: " : "rewrote: ") + p));
    System.exit(check && !stale.isEmpty() ? 1 : 0);
  }

  /** Every README.md under the results root that asks for at least one table. */
  public static List<Path> pages(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(p -> p.getFileName().toString().equals("README.md"))
          .filter(p -> read(p).contains("<!-- table:"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
    }
  }

  /** The page's text with every marked table regenerated from its files. */
  public static String generate(Path page, String text) {
    StringBuilder out = new StringBuilder();
    Iterator<String> lines = text.lines().iterator();
    int number = 0;
    while (lines.hasNext()) {
      String line = lines.next();
      number++;
      out.append(line).append('\n');
      Matcher m = OPEN.matcher(line);
      if (!m.matches()) {
        continue;
      }
      boolean closed = false;
      while (lines.hasNext() && !closed) {
        closed = lines.next().equals(CLOSE);
        number++;
      }
      Preconditions.checkArgument(
          closed, "%s line %s: no '%s' after the table marker", page, number, CLOSE);
      out.append(table(m.group(1), page.getParent().resolve(m.group(2))))
          .append(CLOSE)
          .append('\n');
    }
    return out.toString();
  }

  static String table(String kind, Path source) {
    return switch (kind) {
      case "sweep" -> sweep(source);
      case "thresholds" -> thresholds(source);
      case "comparisons" -> comparisons(source);
      case "speedup" -> speedup(source);
      case "distribution" -> distribution(source);
      case "transfer" -> transfer(source);
      case "probe" -> probe(source);
      case "bench" -> bench(source);
      case "command" -> "```bash\n" + read(source).stripTrailing() + "\n```\n";
      default ->
          throw new IllegalArgumentException(
              "unknown table kind '"
                  + kind
                  + "': expected sweep, thresholds, comparisons, speedup, transfer, probe, bench or command");
    };
  }

  /**
   * Median test accuracy [lowest, highest over seeds] per size (rows) and per setting and operator
   * (columns).
   */
  static String sweep(Path resultsCsv) {
    List<CellResult> results = SweepStore.readResultsCsv(resultsCsv);
    Map<String, Function<CellResult, Object>> axes = new LinkedHashMap<>();
    axes.put("depth", r -> r.cell().depth());
    axes.put("cot", r -> r.cell().cot());
    axes.put("modulus", r -> r.cell().modulus());
    axes.put("layers", r -> r.cell().layers());
    axes.put("loops", r -> r.cell().loops());
    axes.put("heads", r -> r.cell().heads());
    // Only the axes that vary within this sweep name a column, besides the mix.
    axes.values().removeIf(axis -> results.stream().map(axis).distinct().count() < 2);
    Map<String, Map<Long, List<Double>>> columns = new LinkedHashMap<>();
    TreeMap<Long, Integer> sizes = new TreeMap<>();
    for (CellResult r : results) {
      sizes.put(r.params(), r.cell().dModel());
      StringBuilder setting = new StringBuilder(r.cell().mix());
      axes.forEach(
          (name, axis) -> setting.append(' ').append(name).append(' ').append(axis.apply(r)));
      r.accuracy()
          .forEach(
              (op, acc) ->
                  columns
                      .computeIfAbsent(setting + ": " + op, k -> new TreeMap<>())
                      .computeIfAbsent(r.params(), k -> new ArrayList<>())
                      .add(acc));
    }
    if (!axes.isEmpty()) {
      // Settings besides the mix: one row per setting, operator and size, not a column each.
      Markdown t =
          new Markdown(
              List.of(
                  "mix, " + String.join(", ", axes.keySet()) + ": operator",
                  "params (d_model)",
                  "median [lowest, highest]",
                  "seeds"));
      columns.forEach(
          (column, bySize) ->
              bySize.forEach(
                  (params, accs) ->
                      t.row(
                          List.of(
                              column,
                              params + " (" + sizes.get(params) + ")",
                              summary(accs),
                              String.valueOf(accs.size())))));
      return "Test accuracy over seeds.\n\n" + t;
    }
    List<String> header = new ArrayList<>(List.of("params (d_model)"));
    header.addAll(columns.keySet());
    Markdown t = new Markdown(header);
    sizes.forEach(
        (params, dModel) -> {
          List<String> row = new ArrayList<>(List.of(params + " (" + dModel + ")"));
          columns.values().forEach(bySize -> row.add(summary(bySize.get(params))));
          t.row(row);
        });
    return "Median test accuracy over seeds [lowest, highest]; a column is a mix, then the operator tested.\n\n"
        + t;
  }

  private static String summary(List<Double> accs) {
    if (accs == null || accs.isEmpty()) {
      return "";
    }
    List<Double> sorted = accs.stream().sorted().toList();
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return String.format("%.2f [%.2f, %.2f]", median, sorted.get(0), sorted.get(n - 1));
  }

  /**
   * Per setting and operator: the grid threshold, the fitted threshold with its interval, the
   * transition.
   */
  static String thresholds(Path thresholdsJson) {
    JsonNode all = Json.read(thresholdsJson);
    Markdown t =
        new Markdown(
            List.of(
                "setting",
                "operator",
                "grid threshold (params)",
                "fitted threshold [CI]",
                "transition [90% CI]",
                "note"));
    all.fields()
        .forEachRemaining(
            setting -> {
              if (setting.getKey().equals("comparisons")) {
                return;
              }
              setting
                  .getValue()
                  .fields()
                  .forEachRemaining(
                      op -> {
                        JsonNode v = op.getValue();
                        JsonNode tr = v.path("transition");
                        String reason = text(v.path("reason"));
                        if (reason.isEmpty()) {
                          reason = text(tr.path("reason"));
                        }
                        t.row(
                            List.of(
                                setting.getKey(),
                                op.getKey(),
                                integer(v.path("grid_threshold_params")),
                                integer(v.path("threshold_params"))
                                    + interval(v.path("threshold_params_ci")),
                                integer(tr.path("params")) + interval(tr.path("ci90")),
                                reason));
                      });
            });
    return t.toString();
  }

  /** Threshold ratios between two mixes for one operator, with their interval and p-value. */
  static String comparisons(Path thresholdsJson) {
    JsonNode list = Json.read(thresholdsJson).path("comparisons");
    Markdown t =
        new Markdown(
            List.of(
                "operator", "mix a", "mix b", "threshold ratio a/b [90% CI]", "p-value", "note"));
    for (JsonNode c : list) {
      t.row(
          List.of(
              text(c.path("op")),
              text(c.path("a")),
              text(c.path("b")),
              number(c.path("ratio"), "%.2f") + interval(c.path("ratio_ci90"), "%.2f"),
              c.path("p_value").isNumber() ? Comparison.formatP(c.path("p_value").asDouble()) : "-",
              text(c.path("reason"))));
    }
    return t.toString();
  }

  /**
   * speedup.csv: iterations, wall and CPU time, direct against the GNN, per graph in both views
   * (the same optimizer on x and through the GNN, the paper's; the best GNN run against the best
   * run on x, the user's: its optimizer {@code best:DIRECT/GNN}), with the baselines. Files written
   * before the {@code view} column have their view from the optimizer's name.
   */
  static String speedup(Path speedupCsv) {
    Markdown t =
        new Markdown(
            List.of(
                "graph",
                "free nodes",
                "view",
                "optimizer",
                "direct iters",
                "GNN iters",
                "speedup (iters)",
                "speedup (wall)",
                "speedup (CPU)",
                "L-BFGS iters",
                "CG iters",
                "GNN vs L-BFGS (wall)",
                "GNN vs CG (wall)"));
    for (Map<String, String> row : csvRows(speedupCsv)) {
      String bound = row.getOrDefault("lower_bound", "").equals("true") ? " (at least)" : "";
      boolean best = row.get("optimizer").startsWith("best:");
      String cpu = row.getOrDefault("speedup_cpu", "");
      t.row(
          List.of(
              row.get("graph"),
              row.get("free_nodes"),
              best ? "best against best" : "same optimizer",
              row.get("optimizer"),
              row.get("direct_iterations"),
              row.get("gnn_iterations"),
              ratio(row.get("speedup_iterations")) + bound,
              ratio(row.get("speedup_wall")) + bound,
              cpu.isBlank() ? "" : ratio(cpu) + bound,
              row.getOrDefault("lbfgs_iterations", ""),
              row.getOrDefault("cg_iterations", ""),
              ratio(row.getOrDefault("gnn_vs_lbfgs_wall", "")),
              ratio(row.getOrDefault("gnn_vs_cg_wall", ""))));
    }
    return t.toString();
  }

  /**
   * A reparam-bench's distribution.csv (every seed run): per graph, optimizer and method, how many
   * seeds reached the tolerance and a local minimum, the median iterations and seconds to it, and
   * the vortices (planar graphs) or winding cycles (others) left at the end.
   */
  static String distribution(Path distributionCsv) {
    Markdown t =
        new Markdown(
            List.of(
                "graph",
                "optimizer",
                "method",
                "reached tolerance",
                "iters to tolerance (median)",
                "reached a local minimum",
                "iters to it (median)",
                "seconds to it (median)",
                "vortices left (mean, max)",
                "winding cycles left (mean)"));
    for (Map<String, String> row : csvRows(distributionCsv)) {
      String seeds = row.get("seeds");
      String vortices = row.getOrDefault("vortices_mean", "");
      t.row(
          List.of(
              row.get("graph"),
              row.get("optimizer"),
              row.get("method"),
              row.get("reached_tol") + "/" + seeds,
              rounded(row.get("iterations_to_tol_p50"), "%.0f"),
              row.get("reached_local_minimum") + "/" + seeds,
              rounded(row.get("iterations_to_local_minimum_p50"), "%.0f"),
              rounded(row.get("wall_s_to_local_minimum_p50"), "%.2f"),
              vortices.isBlank()
                  ? ""
                  : rounded(vortices, "%.1f")
                      + ", "
                      + rounded(row.getOrDefault("vortices_max", ""), "%.0f"),
              rounded(row.getOrDefault("winding_cycles_mean", ""), "%.1f")));
    }
    return t.toString();
  }

  private static String rounded(String value, String format) {
    return value == null || value.isBlank()
        ? ""
        : String.format(Locale.ROOT, format, Double.parseDouble(value));
  }

  /** The rows of a CSV file with a header, each a map from column name to field. */
  private static List<Map<String, String>> csvRows(Path csv) {
    List<String> lines = lines(csv);
    List<String> header = SweepStore.csvFields(lines.get(0));
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      List<String> f = SweepStore.csvFields(line);
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < header.size(); i++) {
        row.put(header.get(i), i < f.size() ? f.get(i) : "");
      }
      rows.add(row);
    }
    return rows;
  }

  private static String ratio(String value) {
    if (value == null || value.isBlank()) {
      return "";
    }
    double v = Double.parseDouble(value);
    return (v >= 10
            ? String.format("%.0f", v)
            : v >= 1 ? String.format("%.1f", v) : String.format("%.2g", v))
        + "x";
  }

  /**
   * A folder of curriculum runs (one subfolder per size): median and per-seed test accuracy,
   * curriculum against scratch, smallest model first.
   */
  static String transfer(Path folder) {
    Markdown t =
        new Markdown(
            List.of(
                "run",
                "params",
                "operator",
                "curriculum: median",
                "per seed",
                "scratch: median",
                "per seed"));
    // run folder -> its result.json, read once, smallest model first
    Map<Path, JsonNode> bySize = new LinkedHashMap<>();
    subfolders(folder, "result.json").stream()
        .map(run -> Map.entry(run, Json.read(run.resolve("result.json"))))
        .sorted(Comparator.comparingLong(e -> e.getValue().path("params").asLong()))
        .forEach(e -> bySize.put(e.getKey(), e.getValue()));
    for (Map.Entry<Path, JsonNode> entry : bySize.entrySet()) {
      Path run = entry.getKey();
      JsonNode r = entry.getValue();
      JsonNode median = r.path("median_test_accuracy");
      median
          .path("curriculum")
          .fieldNames()
          .forEachRemaining(
              op -> {
                if (op.equals("overall")) {
                  return;
                }
                t.row(
                    List.of(
                        run.getFileName().toString(),
                        integer(r.path("params")),
                        op,
                        number(median.path("curriculum").path(op), "%.2f"),
                        perSeed(r.path("seeds"), "curriculum", op),
                        number(median.path("scratch").path(op), "%.2f"),
                        perSeed(r.path("seeds"), "scratch", op)));
              });
    }
    return t.toString();
  }

  private static String perSeed(JsonNode seeds, String arm, String op) {
    List<String> values = new ArrayList<>();
    seeds.forEach(s -> values.add(number(s.path(arm).path("test_accuracy").path(op), "%.2f")));
    return String.join(" ", values);
  }

  /**
   * A folder of probe --compare runs: mean ± standard deviation over seeds of each measure, per
   * model size and mix.
   */
  static String probe(Path folder) {
    // column "mix, params" -> measure -> values over seeds
    Map<String, Map<String, List<Double>>> columns = new TreeMap<>();
    for (Path run : subfolders(folder, "probe.json")) {
      Json.read(run.resolve("probe.json"))
          .path("models")
          .forEach(
              m -> {
                String tasks = m.path("task").path("tasks").asText();
                Map<String, List<Double>> measures =
                    columns.computeIfAbsent(
                        String.format("%s, %05d params", tasks, m.path("params").asLong()),
                        k -> new LinkedHashMap<>());
                String op = hardOperator(tasks);
                boolean group = m.path("task").hasNonNull("group");
                add(measures, op + " accuracy", m.path("ablation").path("intact").path(op));
                add(measures, "order (PC1 rank corr.)", m.path("order"));
                add(measures, "cosine of neighbours", m.path("cosine_summary").path("adjacent"));
                m.path("parity_probe_accuracy")
                    .fields()
                    .forEachRemaining(
                        e ->
                            add(
                                measures,
                                (group ? "sign probe @ " : "parity probe @ ") + e.getKey(),
                                e.getValue()));
                m.path("cycle_type_probe_accuracy")
                    .fields()
                    .forEachRemaining(
                        e -> add(measures, "cycle type probe @ " + e.getKey(), e.getValue()));
                m.path("attention_ratio")
                    .fields()
                    .forEachRemaining(
                        e -> add(measures, "attention ratio " + e.getKey(), e.getValue()));
                m.path("ffn_ratio")
                    .fields()
                    .forEachRemaining(e -> add(measures, "FFN ratio " + e.getKey(), e.getValue()));
                m.path("ablation")
                    .path("attention")
                    .fields()
                    .forEachRemaining(
                        e ->
                            add(
                                measures,
                                op + " acc., attention zeroed " + e.getKey(),
                                e.getValue().path(op)));
                m.path("ablation")
                    .path("mlp")
                    .fields()
                    .forEachRemaining(
                        e ->
                            add(
                                measures,
                                op + " acc., MLP zeroed " + e.getKey(),
                                e.getValue().path(op)));
              });
    }
    List<String> header = new ArrayList<>(List.of("measure"));
    columns.keySet().forEach(k -> header.add(k.replaceAll(", 0+", ", ")));
    Markdown t = new Markdown(header);
    List<String> measures =
        columns.values().stream().flatMap(m -> m.keySet().stream()).distinct().toList();
    for (String measure : measures) {
      List<String> row = new ArrayList<>(List.of(measure));
      columns.values().forEach(m -> row.add(meanSd(m.get(measure))));
      t.row(row);
    }
    return "Mean ± standard deviation over seeds.\n\n" + t;
  }

  /** The operator a probe row reports: the hard one of the mix (SUM, or a group's PMUL). */
  private static String hardOperator(String tasks) {
    List<String> ops = List.of(tasks.split(",", -1));
    if (ops.contains("SUM")) return "SUM";
    if (ops.contains("PMUL")) return "PMUL";
    return "overall";
  }

  private static void add(Map<String, List<Double>> measures, String name, JsonNode value) {
    if (value.isNumber()) {
      measures.computeIfAbsent(name, k -> new ArrayList<>()).add(value.asDouble());
    }
  }

  private static String meanSd(List<Double> values) {
    if (values == null || values.isEmpty()) {
      return "";
    }
    double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double var =
        values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum()
            / Math.max(1, values.size() - 1);
    return String.format("%.2f ± %.2f (n=%d)", mean, Math.sqrt(var), values.size());
  }

  /**
   * A throughput log: each labelled run of ours (a JSON line from bench) and of the peer, one row
   * each.
   */
  static String bench(Path log) {
    Markdown t = new Markdown(List.of("run", "tokens/s", "step ms", "CPU ms/step", "params"));
    String label = null;
    for (String line : lines(log)) {
      if (line.startsWith("ours ") || line.startsWith("peer ")) {
        label = line.strip();
      } else if (label != null && line.startsWith("{")) {
        JsonNode j = Json.parse(line);
        t.row(
            List.of(
                label,
                number(j.path("tokens_per_s"), "%.0f"),
                number(j.path("step_ms"), "%.1f"),
                number(j.path("cpu_ms_per_step"), "%.1f"),
                integer(j.path("params"))));
        label = null;
      } else if (label != null && line.startsWith("tokens_per_s=")) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String pair : Splitter.on(CharMatcher.whitespace()).omitEmptyStrings().split(line)) {
          String[] p = pair.split("=", 2);
          kv.put(p[0], p.length > 1 ? p[1] : "");
        }
        t.row(
            List.of(
                label,
                String.format("%.0f", Double.parseDouble(kv.get("tokens_per_s"))),
                String.format("%.1f", Double.parseDouble(kv.get("step_ms"))),
                "",
                kv.getOrDefault("params", "")));
        label = null;
      }
    }
    return t.toString();
  }

  private static List<Path> subfolders(Path folder, String withFile) {
    try (Stream<Path> dirs = Files.list(folder)) {
      List<Path> found =
          dirs.filter(d -> Files.isRegularFile(d.resolve(withFile))).sorted().toList();
      Preconditions.checkArgument(
          !found.isEmpty(), "no subfolder of %s holds a %s", folder, withFile);
      return found;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot list " + folder + ": expected a folder of runs each with a " + withFile);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static List<String> lines(Path file) {
    List<String> lines = read(file).lines().filter(l -> !l.isBlank()).toList();
    Preconditions.checkArgument(!lines.isEmpty(), "%s is empty", file);
    return lines;
  }

  private static String text(JsonNode v) {
    return v.isMissingNode() || v.isNull() ? "" : v.asText();
  }

  private static String integer(JsonNode v) {
    return v.isNumber() ? String.valueOf(Math.round(v.asDouble())) : "-";
  }

  private static String number(JsonNode v, String format) {
    return v.isNumber() ? String.format(format, v.asDouble()) : "-";
  }

  private static String interval(JsonNode ci) {
    return ci.isArray() && ci.size() == 2
        ? " [" + integer(ci.get(0)) + ", " + integer(ci.get(1)) + "]"
        : "";
  }

  private static String interval(JsonNode ci, String format) {
    return ci.isArray() && ci.size() == 2
        ? " [" + number(ci.get(0), format) + ", " + number(ci.get(1), format) + "]"
        : "";
  }

  /** A Markdown table built row by row. */
  private static final class Markdown {
    private final StringBuilder text = new StringBuilder();

    Markdown(List<String> header) {
      line(header);
      text.append('|').append("---|".repeat(header.size())).append('\n');
    }

    void row(List<String> cells) {
      line(cells);
    }

    /** A bare | inside a cell (a setting such as SUM|modulus=7) would start a new column. */
    private void line(List<String> cells) {
      text.append("| ");
      for (int i = 0; i < cells.size(); i++) {
        text.append(i == 0 ? "" : " | ").append(cells.get(i).replace("|", "\\|"));
      }
      text.append(" |\n");
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
