package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.reparam.problem.Problems;
import dev.emergence.report.Json;
import dev.emergence.report.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReparamCommandTest {
  @Test
  void helpListsEveryRegisteredProblem() {
    for (String command : new String[] {"reparam", "reparam-bench"}) {
      CliRun r = CliRun.of(command, "--help");
      assertEquals(0, r.status(), r.err());
      String help = r.out().replaceAll("\\s+", " "); // the description may wrap
      String expected = "--problem=<problem> Problem: " + String.join(", ", Problems.names()) + " (default: heat).";
      assertTrue(help.contains(expected), command + " --help should contain '" + expected + "':\n" + r.out());
    }
  }

  @Test
  void anUnknownProblemIsOneLineListingTheKnownOnesWithStatusTwo() {
    CliRun r = CliRun.of("reparam", "--problem", "no-such-problem", "--graph", "grid2d:4x3");
    assertEquals(Emergence.Cli.BAD_INPUT, r.status());
    assertEquals("error: unknown problem 'no-such-problem'; expected one of: " + String.join(", ", Problems.names()), r.err().strip());
  }

  private static void assertOneLine(CliRun r, String expected) {
    assertEquals(Emergence.Cli.BAD_INPUT, r.status(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertEquals(expected, r.err().strip());
  }

  @Test
  void everyNumberIsCheckedBeforeAnyWork(@TempDir Path dir) {
    Path out = dir.resolve("run");
    String o = out.toString();
    assertOneLine(CliRun.of("reparam", "--graph", "grid2d:8x8", "--seeds", "0", "--out", o), "error: --seeds must be at least 1, got 0");
    assertOneLine(CliRun.of("reparam", "--graph", "grid2d:8x8", "--tolerance", "0", "--out", o), "error: --tolerance must be in (0, 1), got 0.0");
    assertOneLine(CliRun.of("reparam", "--graph", "grid2d:8x8", "--max-iterations", "0", "--out", o),
        "error: --max-iterations must be at least 1, got 0");
    assertOneLine(CliRun.of("reparam", "--graph", "grid2d:8x8", "--gnn-lr", "-1", "--out", o), "error: --gnn-lr must be positive, got -1.0");
    assertOneLine(CliRun.of("reparam", "--graph", "grid2d:8x8", "--hidden", "0", "--out", o), "error: --hidden must be at least 1, got 0");
    assertOneLine(CliRun.of("reparam", "--graph", "grid2d:8x8", "--methods", "direct,newton", "--out", o),
        "error: Invalid value for option '--methods' (<methods>): expected one of [DIRECT, GNN, LBFGS, CG] (case-insensitive) but was 'newton';"
            + " see 'emergence reparam --help'");
    assertOneLine(CliRun.of("reparam", "--graph", "grid2d:8", "--out", o), "error: graph 'grid2d:8': expected 2 sizes joined by 'x'");
    assertOneLine(CliRun.of("reparam-bench", "--seeds", "0", "--out", o), "error: --seeds must be at least 1, got 0");
    assertOneLine(CliRun.of("reparam-bench", "--lr-factors", "1,0", "--out", o), "error: --lr-factors must be positive and finite, got 0.0");
    assertOneLine(CliRun.of("reparam-bench", "--graphs", "grid2d:8x8,grid2d:8xq", "--out", o),
        "error: grid2d:8xq: 'q' is not an integer");
    assertFalse(Files.exists(out), "nothing is written when the input is bad");
  }

  @Test
  void resumeNeedsOut() {
    assertOneLine(CliRun.of("reparam-bench", "--graphs", "grid2d:5x4", "--resume"), "error: --resume needs --out: the run directory to continue");
  }

  @Test
  void aReparamRunKeepsItsStateAndASecondRunIntoItIsRefused(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");
    String[] args = {"reparam", "--graph", "grid2d:6x4", "--optimizer", "sgd", "--max-iterations", "5000", "--hidden", "4", "--layers", "1",
        "--out", out.toString()};
    CliRun first = CliRun.of(args);
    assertEquals(0, first.status(), first.err());
    assertEquals("done", Json.read(out.resolve(RunDirectory.STATE)).get("state").asText());
    assertTrue(Json.read(out.resolve(RunDirectory.CONFIG)).has("git_commit"));
    String result = Files.readString(out.resolve(RunDirectory.RESULT));
    CliRun second = CliRun.of(args);
    assertEquals(Emergence.Cli.BAD_INPUT, second.status());
    assertTrue(second.err().contains("is not empty") && second.err().contains("--overwrite"), second.err());
    assertEquals(result, Files.readString(out.resolve(RunDirectory.RESULT)));
  }

  @Test
  void aBenchResumedWithAnotherSeedIsRefusedAndLeftAsItWas(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("bench");
    List<String> args = List.of("reparam-bench", "--graphs", "grid2d:5x4", "--optimizers", "sgd", "--seeds", "1", "--lr-factors", "1",
        "--max-iterations", "3000", "--hidden", "4", "--layers", "1", "--out", out.toString());
    CliRun first = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, first.status(), first.err());
    String config = Files.readString(out.resolve(RunDirectory.CONFIG));
    CliRun again = CliRun.of(args.toArray(String[]::new));
    assertTrue(again.err().contains("--resume to continue that run"), again.err());
    List<String> other = new java.util.ArrayList<>(args);
    other.addAll(List.of("--seed", "3", "--resume"));
    CliRun refused = CliRun.of(other.toArray(String[]::new));
    assertEquals(Emergence.Cli.BAD_INPUT, refused.status(), refused.err());
    assertEquals(1, refused.err().strip().lines().count(), refused.err());
    assertTrue(refused.err().contains("was run with other settings") && refused.err().contains("seed: 0 -> 3"), refused.err());
    assertEquals(config, Files.readString(out.resolve(RunDirectory.CONFIG)), "a refused resume touches nothing");
    List<String> same = new java.util.ArrayList<>(args);
    same.add("--resume");
    CliRun resumed = CliRun.of(same.toArray(String[]::new));
    assertEquals(0, resumed.status(), resumed.err());
    assertEquals(4, resumed.out().lines().filter(l -> l.startsWith("resumed")).count(), resumed.out()); // direct, gnn, lbfgs, cg
  }
}
