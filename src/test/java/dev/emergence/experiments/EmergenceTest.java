package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void quickstartRunsOnTheGpuDeviceFallingBackToTheCpu(@TempDir Path out) {
    CliRun r = CliRun.of("quickstart", "--device", "gpu", "--steps", "300", "--out", out.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(Files.isRegularFile(out.resolve("result.json")));
    assertTrue(Files.isRegularFile(out.resolve("loss.png")));
  }

  @Test
  void anUnknownOptionIsAUsageErrorWithStatusTwo() {
    CliRun r = CliRun.of("listops", "eval", "--no-such-option", "[MAX 1 2 ]");
    assertEquals(Emergence.Cli.BAD_INPUT, r.status());
    assertTrue(r.err().contains("--no-such-option"), r.err());
  }
}
