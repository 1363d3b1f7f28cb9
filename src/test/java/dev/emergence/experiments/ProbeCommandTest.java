package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emergence.nn.GptConfig;
import dev.emergence.probe.TinyExports;
import dev.emergence.report.Json;
import dev.emergence.session.SessionConfig;
import dev.emergence.train.GptExport;
import dev.emergence.train.ListOpsTask;
import dev.emergence.train.ModelExport;
import dev.emergence.train.ServingGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Signature;

/** probe and predict from the command line, on tiny exports of every kind of the transformer. */
class ProbeCommandTest {

  private static void assertBadInput(CliRun r, String contains, Path out) {
    assertEquals(Emergence.Cli.BAD_INPUT, r.status(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("error: ") && r.err().contains(contains), r.err());
    assertFalse(Files.exists(out), "nothing written to --out");
  }

  @Test
  void badModelsGiveOneLineAndWriteNothing(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Files.writeString(empty.resolve("notes.txt"), "not a model");
    assertBadInput(
        CliRun.of("probe", "--model", empty.toString(), "--out", out.toString()),
        "is not a SavedModel",
        out);
    assertBadInput(
        CliRun.of("probe", "--model", dir.resolve("missing").toString(), "--out", out.toString()),
        "no such directory",
        out);
    assertBadInput(
        CliRun.of("predict", "--model", empty.toString(), "[MAX 1 2 ]"),
        "is not a SavedModel",
        out);

    // a SavedModel with only serving_default: no probe signature
    ListOpsTask task = TinyExports.task("MAX", 10, 20, false, 1);
    Path servingOnly = dir.resolve("serving-only");
    try (ServingGraph graph =
        new ServingGraph(
            SessionConfig.defaults(), GptConfig.of(task.vocab(), task.length() - 1, 1, 1, 8), 1)) {
      Signature serving = graph.signatures().get(0);
      ModelExport.export(
          graph.session(), servingOnly, false, List.of(serving), Map.of(GptExport.TASK, "{}"));
    }
    assertBadInput(
        CliRun.of("probe", "--model", servingOnly.toString(), "--out", out.toString()),
        "has no 'probe' signature",
        out);
    assertBadInput(
        CliRun.of(
            "probe",
            "--compare",
            servingOnly.toString(),
            empty.toString(),
            "--out",
            out.toString()),
        "has no 'probe' signature",
        out);
    assertBadInput(CliRun.of("probe", "--out", out.toString()), "exactly one of them", out);
    assertBadInput(
        CliRun.of(
            "probe", "--model", servingOnly.toString(), "--examples", "0", "--out", out.toString()),
        "--examples",
        out);
  }

  /** A looped, untied, chain-of-thought export: one key per block application, CoT decoding. */
  @Test
  void probesAndPredictsALoopedUntiedChainOfThoughtModel(@TempDir Path dir) {
    ListOpsTask task = TinyExports.task("MAX,MIN", 10, 30, true, 2);
    Path export =
        TinyExports.export(dir.resolve("cot"), task, c -> c.withLoops(2).withTied(false), 30, null);
    Path out = dir.resolve("out");
    CliRun r =
        CliRun.of(
            "probe", "--model", export.toString(), "--out", out.toString(), "--examples", "30");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("| parity probe @ layer_1 |"), r.out());
    for (String file :
        List.of("pca.png", "cosine.png", "probe.json", "config.json", "result.json")) {
      assertTrue(Files.isRegularFile(out.resolve(file)), file);
    }
    JsonNode json = Json.read(out.resolve("probe.json"));
    for (String field :
        List.of(
            "order",
            "parity_probe_accuracy",
            "modular",
            "attention_ratio",
            "ffn_ratio",
            "ablation",
            "explained_variance",
            "cosine")) {
      assertTrue(json.has(field), field + " in " + json);
    }
    assertEquals(
        List.of("embedding", "layer_0", "layer_1"), fieldNames(json.get("parity_probe_accuracy")));
    assertEquals(List.of("2", "5"), fieldNames(json.get("modular")));
    assertEquals(List.of("layer_0", "layer_1"), fieldNames(json.get("attention_ratio")));
    assertEquals(List.of("layer_0", "layer_1"), fieldNames(json.get("ablation").get("mlp")));
    assertEquals(List.of("MAX", "MIN", "overall"), fieldNames(json.get("ablation").get("intact")));
    assertEquals(10, json.get("cosine").size());

    CliRun p =
        CliRun.of(
            "predict", "--model", export.toString(), "--json", "[MAX 1 [MIN 4 7 ] ]", "[MIN 3 2 ]");
    assertEquals(0, p.status(), p.err());
    List<String> lines = p.out().strip().lines().toList();
    assertEquals(2, lines.size(), p.out());
    JsonNode first = Json.mapper().valueToTree(parse(lines.get(0)));
    assertEquals("[MAX 1 [MIN 4 7 ] ]", first.get("expr").asText());
    assertEquals(4, first.get("answer").asInt());
    assertTrue(
        first.has("predicted") && first.has("correct") && first.has("output"), first.toString());

    CliRun bad = CliRun.of("predict", "--model", export.toString(), "[MAX 1 2");
    assertEquals(Emergence.Cli.BAD_INPUT, bad.status(), bad.err());
    assertEquals(1, bad.err().strip().lines().count(), bad.err());
  }

  @Test
  void comparesTwoModelsSideBySide(@TempDir Path dir) {
    ListOpsTask task = TinyExports.task("SUM", 10, 20, false, 1);
    Path a = TinyExports.export(dir.resolve("a").resolve("model"), task, c -> c, 0, null);
    Path b =
        TinyExports.export(
            dir.resolve("b").resolve("model"), task, c -> c.withMlpRatio(2), 20, null);
    Path out = dir.resolve("out");
    CliRun r =
        CliRun.of(
            "probe",
            "--compare",
            a.toString(),
            b.toString(),
            "--out",
            out.toString(),
            "--examples",
            "20",
            "--no-ablation");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().startsWith("| | A model | B model |"), r.out());
    JsonNode json = Json.read(out.resolve("probe.json"));
    assertEquals("A model", json.get("labels").get(0).asText());
    assertTrue(
        json.get("models").get("B model").get("parity_probe_accuracy").has("layer_0"),
        json.toString());
    assertTrue(json.get("models").get("A model").get("ablation").isNull());
    assertTrue(
        Files.isRegularFile(out.resolve("pca.png"))
            && Files.isRegularFile(out.resolve("cosine.png")));
    // reruns into the same --out are refused, as for every command
    CliRun again = CliRun.of("probe", "--model", a.toString(), "--out", out.toString());
    assertEquals(Emergence.Cli.BAD_INPUT, again.status(), again.err());
  }

  private static Object parse(String line) {
    try {
      return Json.mapper().readTree(line);
    } catch (Exception e) {
      throw new AssertionError(line, e);
    }
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
