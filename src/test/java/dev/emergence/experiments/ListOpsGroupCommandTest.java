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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code listops sample|eval|stats --group}. */
class ListOpsGroupCommandTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void sampleOfAGroupPrintsElementAnswersAndDisjointSplits() throws Exception {
    CliRun r =
        CliRun.of(
            "listops",
            "sample",
            "--ops",
            "PMUL,PSIGN,PAT0,PMAX",
            "--group",
            "S4",
            "--n",
            "1000",
            "--seed",
            "7");
    assertEquals(0, r.status(), r.err());
    String[] lines = r.out().strip().split("\n", -1);
    assertEquals(1000, lines.length);
    Map<String, Integer> counts = new HashMap<>();
    Set<String> train = new HashSet<>();
    Set<String> heldOut = new HashSet<>();
    for (String line : lines) {
      JsonNode node = json.readTree(line);
      String split = node.get("split").asText();
      counts.merge(split, 1, Integer::sum);
      (split.equals("train") ? train : heldOut).add(node.get("expr").asText());
      String root = node.get("expr").asText().split(" ", -1)[0];
      JsonNode answer = node.get("answer");
      if (root.equals("[PSIGN")) assertTrue(answer.isInt() && answer.asInt() <= 1, line);
      else if (root.equals("[PAT0")) assertTrue(answer.isInt() && answer.asInt() <= 3, line);
      else assertTrue(answer.isTextual() && answer.asText().matches("p[0-3]{4}"), line);
    }
    assertEquals(Map.of("train", 800, "validation", 100, "test", 100), counts);
    heldOut.retainAll(train);
    assertEquals(Set.of(), heldOut);
  }

  @Test
  void sampleIsDeterministicAndDefaultsToPmul() {
    CliRun a = CliRun.of("listops", "sample", "--group", "S3", "--n", "5", "--seed", "7");
    CliRun b =
        CliRun.of(
            "listops", "sample", "--ops", "PMUL", "--group", "S3", "--n", "5", "--seed", "7",
            "--cot");
    assertEquals(0, a.status(), a.err());
    assertEquals(5, a.out().strip().lines().count());
    assertTrue(a.out().startsWith("{\"expr\":\"[PMUL "), a.out());
    assertTrue(b.out().contains("\"cot\":\"[PMUL "), b.out());
    assertEquals(
        a.out(), CliRun.of("listops", "sample", "--group", "s3", "--n", "5", "--seed", "7").out());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[PMUL p120 p021 ]                | S3 | p210",
        "[PSIGN p120 p021 ]               | S3 | 1",
        "[PAT0 p1230 p0132 ]              | S4 | 1",
        "[PMAX p1230 p3012 p0321 ]        | S4 | p3012",
        "[PMUL p123450 p234501 p501234 ]  | Z6 | p234501",
      })
  void evalPrintsTheAnswerToken(String expr, String group, String answer) {
    CliRun r = CliRun.of("listops", "eval", expr, "--group", group);
    assertEquals(0, r.status(), r.err());
    assertEquals(answer, r.out().strip());
  }

  @Test
  void evalWithCotPrintsTheChain() {
    CliRun r =
        CliRun.of("listops", "eval", "[PSIGN p120 [PMUL p021 p102 ] ]", "--group", "S3", "--cot");
    assertEquals(0, r.status(), r.err());
    assertEquals("[PSIGN p120 [PMUL p021 p102 ] ] = [PSIGN p120 p120 ] = 0", r.out().strip());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "eval [PMUL p1230 p021 ] --group S3 | element p1230 has 4 points, but S3 permutes 3",
        "eval [PMUL p102345 ] --group Z6    | p102345 is not an element of Z6",
        "eval [PMUL p1x0 ] --group S3       | malformed element 'p1x0'",
        "eval [PMUL p120 ] --group S5       | unknown group 'S5' (known: S3, S4, Z6)",
        "eval [PMUL p120 ]                  | PMUL is an operator of group tasks",
        "eval [SUM 1 2 ] --group S3         | SUM is an operator of digit tasks",
        "eval [PMUL [PAT0 p120 ] ] --group S3 | PAT0 does not answer an element of S3",
        "eval [PMUL p120 ] --group S3 --modulus 7 | --modulus is for the numbers of ListOps",
        "sample --ops PMUL --n 5            | PMUL is an operator of group tasks",
        "sample --ops SUM --group Z6 --n 5  | SUM is an operator of digit tasks",
        "sample --group Z6 --modulus 6      | --modulus is for the numbers of ListOps",
        "stats --group A5                   | unknown group 'A5'",
      })
  void badInputIsOneLineAndExitTwo(String args, String problem) {
    String[] parts = args.startsWith("eval ") ? evalArgs(args) : ("listops " + args).split(" ");
    CliRun r = CliRun.of(parts);
    assertEquals(Emergence.Cli.BAD_INPUT, r.status(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains(problem), r.err());
    assertEquals("", r.out());
  }

  @Test
  void statsOfAGroupNameTheAnswerTokens() throws Exception {
    CliRun r =
        CliRun.of(
            "listops",
            "stats",
            "--ops",
            "PMUL,PSIGN",
            "--group",
            "S3",
            "--depth",
            "1",
            "--test-size",
            "50");
    assertEquals(0, r.status(), r.err());
    JsonNode root = json.readTree(r.out());
    assertEquals("S3", root.get("group").asText());
    assertTrue(root.get("modulus") == null);
    assertEquals(9, root.get("answer_tokens").size());
    assertEquals("p012", root.get("answer_tokens").get(0).asText());
    JsonNode sign = root.get("operators").get("PSIGN");
    assertTrue(sign.get("majority_answer").isInt());
    int signs = sign.get("answer_counts").get(6).asInt() + sign.get("answer_counts").get(7).asInt();
    assertEquals(sign.get("test_size").asInt(), signs);
    assertTrue(root.get("operators").get("PMUL").get("majority_answer").isTextual());
  }

  /** "eval EXPR OPTIONS": the expression is one argument, bracket to bracket. */
  private static String[] evalArgs(String args) {
    int end = args.lastIndexOf(']') + 1;
    String expr = args.substring(5, end);
    String rest = args.substring(end).trim();
    String[] options = rest.isEmpty() ? new String[0] : rest.split(" ");
    String[] out = new String[3 + options.length];
    out[0] = "listops";
    out[1] = "eval";
    out[2] = expr;
    System.arraycopy(options, 0, out, 3, options.length);
    return out;
  }
}
