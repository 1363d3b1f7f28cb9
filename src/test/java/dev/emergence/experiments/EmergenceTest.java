package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EmergenceTest {
  private static final List<String> COMMANDS =
      List.of("quickstart", "listops", "train", "sweep", "curriculum", "probe", "reparam", "reparam-bench", "bench");

  @Test
  void helpListsEveryCommand() {
    CliRun r = CliRun.of("--help");
    assertEquals(0, r.status());
    for (String command : COMMANDS) {
      assertTrue(r.out().lines().anyMatch(line -> line.strip().startsWith(command + " ")), command + " in\n" + r.out());
    }
  }

  @Test
  void aCommandNotBuiltYetSaysSoAndFails() {
    CliRun r = CliRun.of("sweep", "--mixes", "SUM", "--d-models", "8");
    assertEquals(Emergence.Cli.NOT_BUILT, r.status());
    assertEquals("error: 'sweep' is not built yet", r.err().strip());
  }

  @Test
  void anUnknownOptionIsAUsageErrorWithStatusTwo() {
    CliRun r = CliRun.of("listops", "eval", "--no-such-option", "[MAX 1 2 ]");
    assertEquals(Emergence.Cli.BAD_INPUT, r.status());
    assertTrue(r.err().contains("--no-such-option"), r.err());
  }
}
