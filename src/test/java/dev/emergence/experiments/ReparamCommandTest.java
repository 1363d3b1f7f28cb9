package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.reparam.Problems;
import org.junit.jupiter.api.Test;

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
}
