package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plots, metrics and dumps {@code reparam} writes for Kuramoto and homology, on tiny inputs
 * within iteration budgets.
 */
class ReparamPlotsCommandTest {
  private static Path run(Path out, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--hidden", "8", "--no-tensorboard", "--out", out.toString()));
    CliRun r = CliRun.of(all.toArray(String[]::new));
    assertEquals(0, r.status(), r.err() + r.out());
    return out;
  }

  private static void assertPlot(Path file) throws Exception {
    assertTrue(Files.isRegularFile(file) && Files.size(file) > 1000, file + " missing or empty");
  }

  private static List<JsonNode> metrics(Path out) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
      lines.add(mapper.readTree(line));
    }
    return lines;
  }

  @Test
  void kuramotoPlotsTheOrderParameterAndLogsItInTheMetrics(@TempDir Path dir) throws Exception {
    Path out =
        run(
            dir.resolve("k"),
            "reparam",
            "--problem",
            "kuramoto",
            "--graph",
            "grid2d:5x5",
            "--spread",
            "2",
            "--tolerance",
            "1e-4",
            "--methods",
            "direct,gnn,lbfgs",
            "--optimizer",
            "adam",
            "--max-iterations",
            "3000");
    assertPlot(out.resolve("loss_vs_time.png"));
    assertPlot(out.resolve("order_parameter_vs_time.png"));
    assertFalse(Files.exists(out.resolve("points_before_after.png")));
    List<JsonNode> lines = metrics(out);
    JsonNode result = new ObjectMapper().readTree(out.resolve("result.json").toFile());
    for (String m : List.of("direct", "gnn", "lbfgs")) {
      List<JsonNode> mine = lines.stream().filter(l -> l.get("method").asText().equals(m)).toList();
      assertTrue(
          mine.stream().allMatch(l -> l.has("energy") && l.get("energy").asDouble() < 0),
          m + ": Kuramoto energies are negative");
      JsonNode first = mine.get(0);
      JsonNode last = mine.get(mine.size() - 1);
      assertTrue(first.has("r") && last.has("r"), m);
      double r = last.get("r").asDouble();
      assertTrue(r > first.get("r").asDouble() && r <= 1 + 1e-12, m + ": " + first + " -> " + last);
      // reached at a relative gap of 1e-4 on a 5x5 grid: all phases close together
      assertTrue(r > 0.99, m + ": " + last);
      assertEquals(
          result.get("methods").get(m).get("iterations").asLong(),
          last.get("iteration").asLong(),
          m);
    }
  }

  @Test
  void homologyPlotsTheCloudsBeforeAndAfterAndDumpsTheFinalPositions(@TempDir Path dir)
      throws Exception {
    Path solution = dir.resolve("solution.csv");
    Path out =
        run(
            dir.resolve("h"),
            "reparam",
            "--problem",
            "homology",
            "--graph",
            "points:24:3",
            "--k",
            "4",
            "--target",
            "0",
            "--methods",
            "direct,gnn",
            "--optimizer",
            "adam",
            "--max-iterations",
            "150",
            "--dump-solution",
            solution.toString());
    assertPlot(out.resolve("loss_vs_time.png"));
    assertPlot(out.resolve("points_before_after.png"));
    assertFalse(Files.exists(out.resolve("order_parameter_vs_time.png")));
    List<JsonNode> lines = metrics(out);
    assertTrue(
        lines.stream().allMatch(l -> l.get("energy").asDouble() > 0 && !l.has("r")),
        "pull: the loss is a positive MST length");
    List<String> rows = Files.readAllLines(solution);
    assertEquals("point,x,y", rows.get(0));
    assertEquals(1 + 24, rows.size());
    for (int i = 1; i < rows.size(); i++) {
      String[] cells = rows.get(i).split(",", -1);
      assertEquals(3, cells.length, rows.get(i));
      assertEquals(i - 1, Integer.parseInt(cells[0]));
      assertTrue(
          Double.isFinite(Double.parseDouble(cells[1]))
              && Double.isFinite(Double.parseDouble(cells[2])),
          rows.get(i));
    }
  }
}
