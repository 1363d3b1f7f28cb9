package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emergence.capacity.CellResult;
import dev.emergence.capacity.SweepGrid;
import dev.emergence.report.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The quickstart's E2 summary and table from a sweep's cells (the whole quickstart runs in
 * EmergenceTest and CI).
 */
class QuickstartTest {
  private static CellResult cell(String mix, int d, long params, long seed, double sum) {
    SweepGrid.Cell c = new SweepGrid.Cell(mix, 1, false, 10, 1, 1, 1, d, seed);
    return new CellResult(
        c, params, 100, Map.of("SUM", sum), Map.of("SUM", 0.15), Map.of(), List.of(), 1.0, "test");
  }

  @Test
  void summarisesSumAccuracyPerSeedAndMedianPerMixAndSize() throws Exception {
    List<CellResult> cells = new ArrayList<>();
    // out of seed order, as a store may list them
    cells.add(cell("SUM", 8, 1112, 2, 1.00));
    cells.add(cell("SUM", 8, 1112, 0, 0.35));
    cells.add(cell("SUM", 8, 1112, 1, 0.11));
    cells.add(cell("MAX,MED,SUM", 8, 1112, 1, 0.15));
    cells.add(cell("MAX,MED,SUM", 8, 1112, 0, 0.94));
    cells.add(cell("MAX,MED,SUM", 8, 1112, 2, 0.97));
    cells.add(cell("SUM", 6, 690, 0, 0.31));
    cells.add(cell("SUM", 6, 690, 1, 0.16));
    cells.add(cell("SUM", 6, 690, 2, 0.06));
    cells.add(cell("MAX,MED,SUM", 6, 690, 0, 0.97));
    cells.add(cell("MAX,MED,SUM", 6, 690, 1, 0.89));
    cells.add(cell("MAX,MED,SUM", 6, 690, 2, 0.15));
    JsonNode thresholds =
        Json.mapper()
            .readTree(
                "{\"SUM\": {\"SUM\": {\"grid_threshold_params\": null}},"
                    + " \"MAX,MED,SUM\": {\"SUM\": {\"grid_threshold_params\": 1112}, \"MAX\": {\"grid_threshold_params\": 690}}}");

    Quickstart.E2 e2 = Quickstart.e2Summary(cells, thresholds, 100, 1.5);
    JsonNode json = Json.mapper().valueToTree(e2);

    assertEquals(List.of(0L, 1L, 2L), e2.seeds());
    assertEquals(
        List.of(
            "joint",
            "seeds",
            "steps",
            "sum_alone",
            "sum_grid_threshold_params",
            "target",
            "wall_s"),
        iterate(json.fieldNames()));
    assertEquals(List.of("d6", "d8"), iterate(json.get("sum_alone").fieldNames()));
    assertEquals(0.35, json.at("/sum_alone/d8/sum_median").asDouble(), 1e-12);
    assertEquals(0.94, json.at("/joint/d8/sum_median").asDouble(), 1e-12);
    assertEquals(0.89, json.at("/joint/d6/sum_median").asDouble(), 1e-12);
    assertEquals(1112, json.at("/joint/d8/params").asLong());
    assertEquals(
        List.of(0.35, 0.11, 1.00),
        Json.mapper().convertValue(json.at("/sum_alone/d8/sum_accuracy"), List.class),
        "seed order");
    assertEquals(1112, json.at("/sum_grid_threshold_params/joint").asLong());
    assertTrue(json.at("/sum_grid_threshold_params/sum_alone").isNull());
    assertNull(e2.sumGridThresholdParams().sumAlone());

    StringWriter text = new StringWriter();
    Quickstart.printE2(new PrintWriter(text, true), e2);
    String table = text.toString();
    assertTrue(
        table.contains(
            "1112 (8)         0.35 0.11 1.00            0.35   0.94 0.15 0.97            0.94"),
        table);
    assertTrue(table.contains("SUM alone none"), table);
    assertTrue(table.contains("MAX,MED,SUM 1112 params"), table);
  }

  @Test
  void stepsRunInAJvmWithTensorFlowQuietedAndTheirPrintoutDropped() {
    List<String> step = List.of("train", "--steps", "10");
    ProcessBuilder child = Quickstart.childJvmBuilder(step, Map.of());
    assertEquals(
        step,
        child.command().subList(child.command().size() - step.size(), child.command().size()));
    assertEquals(
        Emergence.class.getName(), child.command().get(child.command().size() - step.size() - 1));
    // in the child's environment, so set before its TensorFlow loads: 2 when we have none, else
    // ours
    assertEquals("2", child.environment().get(Quickstart.TF_LOG_LEVEL));
    assertEquals(
        "0",
        Quickstart.childJvmBuilder(step, Map.of(Quickstart.TF_LOG_LEVEL, "0"))
            .environment()
            .get(Quickstart.TF_LOG_LEVEL));
    assertEquals(ProcessBuilder.Redirect.DISCARD, child.redirectOutput());
    assertEquals(
        ProcessBuilder.Redirect.PIPE, child.redirectError(), "stderr goes through the filter");
  }

  @Test
  void aChildsStderrLosesTensorFlowsTwoStartupLinesAndKeepsEverythingElse() {
    String stderr =
        """
        WARNING: All log messages before absl::InitializeLog() is called are written to STDERR
        I0000 00:00:1796282635.480481    7132 mlir_graph_optimization_pass.cc:401] MLIR V1 optimization pass is not enabled
        07:40:01 WARN  GraphSession - no GPU found; running on the CPU
        E0000 00:00:1796282635.480481    7132 some_kernel.cc:12] a real TensorFlow error
        error: --steps must be at least 1, got 0
        """;
    java.io.ByteArrayOutputStream copied = new java.io.ByteArrayOutputStream();
    Quickstart.copyWithoutStartupLines(
        new java.io.ByteArrayInputStream(stderr.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        new java.io.PrintStream(copied, true, java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(
        List.of(
            "07:40:01 WARN  GraphSession - no GPU found; running on the CPU",
            "E0000 00:00:1796282635.480481    7132 some_kernel.cc:12] a real TensorFlow error",
            "error: --steps must be at least 1, got 0"),
        copied.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList());
  }

  private static List<String> iterate(java.util.Iterator<String> names) {
    List<String> out = new ArrayList<>();
    names.forEachRemaining(out::add);
    return out;
  }
}
