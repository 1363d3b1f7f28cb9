package dev.emergence.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsComparisonTest {
  @TempDir Path dir;

  private static CellResult cell(
      String mix, int d, long seed, double sum, double wall, String commit) {
    SweepGrid.Cell c = new SweepGrid.Cell(mix, 1, false, 10, 1, 1, 1, d, seed);
    Map<String, Double> accuracy = new HashMap<>(Map.of("SUM", sum));
    Map<String, Integer> toTarget = new HashMap<>();
    toTarget.put("SUM", null);
    if (mix.contains("MAX")) {
      accuracy.put("MAX", 0.5);
      toTarget.put("MAX", 200);
    }
    return new CellResult(
        c, 100L * d, 300, accuracy, Map.of("SUM", 0.15), toTarget, List.of(), wall, commit);
  }

  private Path csv(String name, List<CellResult> results) {
    Path file = dir.resolve(name);
    SweepStore.writeResultsCsv(results, file);
    return file;
  }

  private static List<CellResult> sweep(double lastSum, double wall, String commit) {
    List<CellResult> results = new ArrayList<>();
    results.add(cell("SUM", 4, 0, 0.25, wall, commit));
    results.add(cell("MAX,SUM", 4, 0, 0.5, wall, commit));
    results.add(cell("SUM", 8, 1, lastSum, wall, commit));
    return results;
  }

  @Test
  void theSameCellsInAnotherOrderWithOtherWallTimesAndCommitsMatch() {
    Path single = csv("single.csv", sweep(0.75, 1.0, "abc"));
    List<CellResult> merged = new ArrayList<>(sweep(0.75, 7.5, "def"));
    java.util.Collections.reverse(merged);
    assertEquals(List.of(), ResultsComparison.differences(single, csv("merged.csv", merged)));
  }

  @Test
  void anAccuracyThatDiffersIsNamedWithItsCellAndColumn() {
    List<String> differences =
        ResultsComparison.differences(
            csv("a.csv", sweep(0.75, 1, "x")), csv("b.csv", sweep(0.7500001, 1, "x")));
    assertEquals(
        List.of(
            "cell mix=SUM depth=1 cot=false modulus=10 layers=1 loops=1 heads=1 d_model=8 seed=1 acc_SUM: 0.75 against 0.7500001"),
        differences);
  }

  @Test
  void aMissingCellOrAnotherColumnIsADifference() {
    Path all = csv("all.csv", sweep(0.75, 1, "x"));
    Path fewer = csv("fewer.csv", sweep(0.75, 1, "x").subList(0, 2));
    assertEquals(
        List.of(
            "cell mix=SUM depth=1 cot=false modulus=10 layers=1 loops=1 heads=1 d_model=8 seed=1 only in "
                + all),
        ResultsComparison.differences(all, fewer));
    Path sumOnly = csv("sum-only.csv", List.of(cell("SUM", 4, 0, 0.25, 1, "x")));
    List<String> columns = ResultsComparison.differences(all, sumOnly);
    assertEquals(1, columns.size());
    assertTrue(columns.get(0).startsWith("columns differ: "), columns.get(0));
  }

  @Test
  void aFileThatIsNotAResultsCsvIsRefusedWithWhereAndWhat() throws Exception {
    Path good = csv("good.csv", sweep(0.75, 1, "x"));
    Path missing = dir.resolve("missing.csv");
    assertEquals(
        "file not found: " + missing,
        assertThrows(
                IllegalArgumentException.class, () -> ResultsComparison.differences(good, missing))
            .getMessage());
    Path open =
        Files.writeString(
            dir.resolve("open.csv"),
            String.join(",", ResultsComparison.CELL) + "\n\"SUM,1,false,10,1,1,1,4,0\n");
    assertEquals(
        open + " line 2: a quote is not closed",
        assertThrows(
                IllegalArgumentException.class, () -> ResultsComparison.differences(good, open))
            .getMessage());
    Path ragged =
        Files.writeString(
            dir.resolve("ragged.csv"),
            String.join(",", ResultsComparison.CELL) + "\nSUM,1,false\n");
    assertEquals(
        ragged + " line 2: 3 values under 9 columns",
        assertThrows(
                IllegalArgumentException.class, () -> ResultsComparison.differences(good, ragged))
            .getMessage());
  }

  @Test
  void quotedFieldsKeepTheirCommas() {
    assertEquals(
        List.of("MAX,MED,SUM", "1", ""),
        ResultsComparison.fields("\"MAX,MED,SUM\",1,", Path.of("f"), 1));
  }
}
