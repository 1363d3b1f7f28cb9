package dev.emergence.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emergence.report.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class SweepAnalysisTest {
  private static final int[] D_MODELS = {4, 6, 8, 12};
  private static final long[] PARAMS = {364, 690, 1112, 2244};

  /**
   * A sweep's results without training: SUM alone and MAX,SUM jointly, 5 seeds per size, each seed
   * learning SUM (accuracy near 0.97) or staying near chance (near 0.15), jointly at smaller sizes.
   */
  public static List<CellResult> fixture() {
    SplittableRandom random = new SplittableRandom(3);
    List<CellResult> results = new ArrayList<>();
    for (String mix : List.of("MAX,SUM", "SUM")) {
      for (int i = 0; i < D_MODELS.length; i++) {
        for (long seed = 0; seed < 5; seed++) {
          double pLearn =
              mix.equals("SUM")
                  ? new double[] {0, 0.1, 0.4, 0.9}[i]
                  : new double[] {0.1, 0.6, 0.9, 1}[i];
          double sum =
              random.nextDouble() < pLearn
                  ? 0.93 + 0.07 * random.nextDouble()
                  : 0.08 + 0.2 * random.nextDouble();
          Map<String, Double> accuracy = new LinkedHashMap<>();
          Map<String, Double> majority = new LinkedHashMap<>();
          Map<String, Integer> steps = new LinkedHashMap<>();
          if (mix.contains("MAX")) {
            accuracy.put("MAX", 0.99);
            majority.put("MAX", 0.3);
            steps.put("MAX", 100);
          }
          accuracy.put("SUM", sum);
          majority.put("SUM", 0.14);
          steps.put("SUM", sum >= 0.9 ? 500 : null);
          SweepGrid.Cell cell = new SweepGrid.Cell(mix, 1, false, 10, 1, 1, 1, D_MODELS[i], seed);
          results.add(
              new CellResult(
                  cell,
                  PARAMS[i],
                  1000,
                  accuracy,
                  majority,
                  steps,
                  List.of(new CellResult.CurvePoint(1000, accuracy)),
                  1.5,
                  "abc123"));
        }
      }
    }
    return results;
  }

  @Test
  void thresholdsJsonCarriesTransitionsAndComparisons(@TempDir Path dir) {
    SweepRun.report(fixture(), 0.9, dir);
    JsonNode json = Json.read(dir.resolve(SweepRun.THRESHOLDS));
    for (String[] settingOp :
        new String[][] {{"SUM", "SUM"}, {"MAX,SUM", "SUM"}, {"MAX,SUM", "MAX"}}) {
      JsonNode threshold = json.get(settingOp[0]).get(settingOp[1]);
      for (String key :
          List.of(
              "threshold_params",
              "threshold_params_ci",
              "grid_threshold_params",
              "fit",
              "reason",
              "transition")) {
        assertTrue(threshold.has(key), settingOp[0] + ": " + settingOp[1] + " lacks " + key);
      }
      JsonNode transition = threshold.get("transition");
      for (String key : List.of("params", "ci90", "fraction_learned", "fraction_ci90", "reason")) {
        assertTrue(transition.has(key), "transition lacks " + key + ": " + transition);
      }
      assertEquals(4, transition.get("fraction_learned").size());
      JsonNode atSmallest = transition.get("fraction_learned").get("364");
      assertEquals(5, atSmallest.get(1).asInt(), "[learned, seeds] keyed by parameter count");
    }
    JsonNode sum = json.get("SUM").get("SUM").get("transition");
    assertTrue(sum.get("params").isNumber(), sum.toString());
    assertEquals(2, sum.get("ci90").size());
    JsonNode comparisons = json.get(SweepAnalysis.COMPARISONS);
    assertEquals(1, comparisons.size(), "SUM is the one operator both settings have");
    JsonNode c = comparisons.get(0);
    assertEquals("SUM", c.get("op").asText());
    assertEquals("SUM", c.get("a").asText(), "a is the setting with fewer operators");
    assertEquals("MAX,SUM", c.get("b").asText());
    assertEquals(
        sum.get("params").asDouble()
            / json.get("MAX,SUM").get("SUM").get("transition").get("params").asDouble(),
        c.get("ratio").asDouble(),
        0.01 * c.get("ratio").asDouble());
    assertTrue(c.get("ratio").asDouble() > 1, "jointly learned at smaller sizes: " + c);
    assertEquals(2, c.get("ratio_ci90").size());
    assertTrue(c.get("p_value").isNumber());
    assertFalse(Json.pretty(json).contains("NaN"));
  }

  @Test
  void analyzeFromResultsCsvWritesWhatTheSweepWrote(@TempDir Path dir) throws IOException {
    SweepRun.report(fixture(), 0.9, dir);
    String written = Files.readString(dir.resolve(SweepRun.THRESHOLDS));
    Files.delete(dir.resolve(SweepRun.THRESHOLDS));
    List<CellResult> read = SweepStore.readResultsCsv(dir.resolve(SweepRun.RESULTS));
    assertEquals(
        fixture().stream().map(CellResult::accuracy).toList(),
        read.stream().map(CellResult::accuracy).toList(),
        "accuracies read back exactly");
    SweepAnalysis.analyze(read, 0.9, List.of(), dir);
    assertEquals(written, Files.readString(dir.resolve(SweepRun.THRESHOLDS)));
    assertTrue(Files.size(dir.resolve(SweepAnalysis.FRACTION_PLOT)) > 1000);
    assertTrue(Files.size(dir.resolve(SweepRun.PLOT)) > 1000);
  }

  @Test
  void chosenPairsAreComparedInTheirOrderAndUnknownOnesRefused(@TempDir Path dir) {
    Map<String, Map<String, Thresholds.Threshold>> thresholds =
        SweepAnalysis.thresholds(
            SweepAnalysis.series(
                fixture(), SweepGrid.varying(fixture().stream().map(CellResult::cell).toList())),
            0.9);
    List<Comparison> chosen =
        SweepAnalysis.comparisons(thresholds, List.of(new Comparison.Pair("MAX,SUM", "SUM", null)));
    assertEquals(1, chosen.size());
    assertEquals("MAX,SUM", chosen.get(0).a());
    assertTrue(chosen.get(0).pValue() > 0.9, "the reverse direction: " + chosen.get(0).pValue());
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SweepAnalysis.comparisons(
                    thresholds, List.of(new Comparison.Pair("SUM", "MAX,MED,SUM", null))));
    assertEquals(
        "--compare: no setting 'MAX,MED,SUM' in this sweep (settings: MAX,SUM; SUM)",
        unknown.getMessage());
    IllegalArgumentException op =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SweepAnalysis.comparisons(
                    thresholds, List.of(new Comparison.Pair("SUM", "MAX,SUM", "MAX"))));
    assertEquals("--compare: SUM and MAX,SUM share no operator MAX (shared: SUM)", op.getMessage());
  }

  @Test
  void aResultsFileInAnotherFormIsRefusedInOneLine(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("results.csv");
    Files.writeString(csv, "a,b\n1,2\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SweepStore.readResultsCsv(csv));
    assertTrue(
        e.getMessage().contains("line 1: expected a sweep's header starting mix,depth,"),
        e.getMessage());
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> SweepStore.readResultsCsv(dir.resolve("none.csv")));
    assertTrue(missing.getMessage().startsWith("no none.csv at "), missing.getMessage());
  }
}
