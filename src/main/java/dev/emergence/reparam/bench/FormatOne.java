package dev.emergence.reparam.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emergence.reparam.ProblemSettings;
import dev.emergence.reparam.problem.Problems;
import dev.emergence.report.Json;
import java.util.Map;

/**
 * The settings of cells written before they were records (format 1: one flat map of the benchmark's
 * options and rules, the problem's settings the union of every problem's options in camel case,
 * none for heat), in today's form ({@link CellSettings}), so that those cells resume. A format-1
 * cell ran with the one value every setting it did not record had then (none had an option).
 */
final class FormatOne {
  /** Where each format-1 key lives now. */
  private static final Map<String, String> PLACES =
      Map.ofEntries(
          Map.entry("problem", "problem"),
          Map.entry("graph", "graph"),
          Map.entry("graph_seed", "graph_seed"),
          Map.entry("method", "method"),
          Map.entry("seed", "seed"),
          Map.entry("seeds", "seeds"),
          Map.entry("tolerance", "stopping.tolerance"),
          Map.entry("max_iterations", "stopping.max_iterations"),
          Map.entry("budget_s", "stopping.budget_s"),
          Map.entry("threads", "execution.threads"),
          Map.entry("fast_step", "execution.fast_step"),
          Map.entry("optimizer", "search.optimizer"),
          Map.entry("lr_factors", "search.lr_factors"),
          Map.entry("lr_anchor", "search.lr_anchor"),
          Map.entry("selection", "search.selection"),
          Map.entry("gnn", "gnn.net"),
          Map.entry("propagation", "gnn.propagation"),
          Map.entry("gnn_start", "gnn.start"),
          Map.entry("gnn_float64", "gnn.float64"),
          Map.entry("plateau_window", "gnn.plateau.window"),
          Map.entry("plateau_threshold", "gnn.plateau.threshold"),
          Map.entry("handover", "gnn.handover"),
          Map.entry("stage2_optimizer", "stage2.optimizer"),
          Map.entry("stage2_lr", "stage2.lr"),
          Map.entry("stage2_patience", "stage2.decay.patience"),
          Map.entry("lbfgs", "lbfgs"));

  /** What every format-1 cell ran with and did not record. */
  private static final Map<String, Object> IMPLIED =
      Map.of(
          "execution.device",
          "CPU",
          "execution.graph_optimizer",
          true,
          "execution.fast_step",
          true);

  /**
   * What every format-1 GNN cell ran with and did not record (the earliest ones, the last x handed
   * over, too).
   */
  private static final Map<String, Object> IMPLIED_GNN =
      Map.of(
          "gnn.hessian",
          "analytic",
          "gnn.decay.half_life",
          0.0,
          "gnn.decay.patience",
          0,
          "stage2.decay.half_life",
          0.0,
          "gnn.handover",
          "last");

  /**
   * Reads format 1's union of problem settings: camel-case keys, enum names in capitals, other
   * problems' keys ignored.
   */
  private static final ObjectMapper UNION =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .build();

  private FormatOne() {}

  /** Whether saved settings are of format 1 (today's have a {@code stopping} record). */
  static boolean is(JsonNode settings) {
    return !settings.has("stopping");
  }

  /** Format-1 settings in today's form. */
  static JsonNode upgrade(JsonNode v1) {
    ObjectNode now = Json.mapper().createObjectNode();
    v1.fields()
        .forEachRemaining(
            e -> {
              if (PLACES.containsKey(e.getKey())) {
                put(now, PLACES.get(e.getKey()), e.getValue());
              }
            });
    IMPLIED.forEach((path, value) -> putIfAbsent(now, path, value));
    if (v1.has("gnn")) {
      IMPLIED_GNN.forEach((path, value) -> putIfAbsent(now, path, value));
    }
    Class<? extends ProblemSettings> type =
        Problems.defaults(v1.get("problem").asText()).getClass();
    ProblemSettings settings =
        v1.has("problem_settings")
            ? UNION.convertValue(v1.get("problem_settings"), type)
            : Problems.defaults(v1.get("problem").asText());
    now.set("problem_settings", Json.mapper().valueToTree(settings));
    return now;
  }

  private static void putIfAbsent(ObjectNode root, String path, Object value) {
    if (at(root, path) == null) {
      put(root, path, Json.mapper().valueToTree(value));
    }
  }

  private static JsonNode at(ObjectNode root, String path) {
    JsonNode node = root;
    for (String key : path.split("\\.", -1)) {
      node = node == null ? null : node.get(key);
    }
    return node;
  }

  private static void put(ObjectNode root, String path, JsonNode value) {
    String[] keys = path.split("\\.", -1);
    ObjectNode node = root;
    for (int i = 0; i < keys.length - 1; i++) {
      node = node.has(keys[i]) ? (ObjectNode) node.get(keys[i]) : node.putObject(keys[i]);
    }
    node.set(keys[keys.length - 1], value);
  }
}
