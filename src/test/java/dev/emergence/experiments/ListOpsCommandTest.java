package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ListOpsCommandTest {
  @Test
  void sampleWritesJsonLinesWithDisjointSplits() throws Exception {
    CliRun r = CliRun.of("listops", "sample", "--ops", "SUM,MAX", "--n", "1000", "--seed", "7");
    assertEquals(0, r.status(), r.err());
    String[] lines = r.out().strip().split("\n", -1);
    assertEquals(1000, lines.length);
    ObjectMapper json = new ObjectMapper();
    Map<String, Integer> counts = new HashMap<>();
    Set<String> train = new HashSet<>();
    Set<String> heldOut = new HashSet<>();
    for (String line : lines) {
      JsonNode node = json.readTree(line);
      String split = node.get("split").asText();
      counts.merge(split, 1, Integer::sum);
      (split.equals("train") ? train : heldOut).add(node.get("expr").asText());
      assertTrue(node.get("answer").isInt());
    }
    assertEquals(Map.of("train", 800, "validation", 100, "test", 100), counts);
    heldOut.retainAll(train);
    assertEquals(Set.of(), heldOut);
  }

  @Test
  void sampleOfAnEnumeratedSpaceStillPrintsNExamples() {
    CliRun r =
        CliRun.of(
            "listops", "sample", "--ops", "SUM", "--depth", "1", "--arity", "2-2", "--n", "500",
            "--cot");
    assertEquals(0, r.status(), r.err());
    String[] lines = r.out().strip().split("\n", -1);
    assertEquals(500, lines.length);
    assertTrue(lines[0].contains("\"cot\":\"[SUM "), lines[0]);
  }

  @Test
  void evalPrintsTheAnswerOrExitsTwoWithOneLine() {
    CliRun ok = CliRun.of("listops", "eval", "[MAX 2 9 [MIN 4 7 ] 0 ]");
    assertEquals(0, ok.status());
    assertEquals("9", ok.out().strip());
    CliRun bad = CliRun.of("listops", "eval", "[MAX 2 9 [MIN 4 7 ] 0");
    assertEquals(Emergence.Cli.BAD_INPUT, bad.status());
    assertEquals(
        "error: unbalanced brackets: 1 '[' not closed (innermost opened at position 0) at end of input at position 21",
        bad.err().strip());
    CliRun mix = CliRun.of("listops", "sample", "--ops", "SUM,AVG", "--n", "5");
    assertEquals(Emergence.Cli.BAD_INPUT, mix.status());
    assertEquals(1, mix.err().strip().lines().count());
  }
}
