package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emergence.report.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmergenceTest {
  private static final List<String> COMMANDS =
      List.of(
          "quickstart",
          "listops",
          "train",
          "sweep",
          "analyze",
          "curriculum",
          "probe",
          "reparam",
          "reparam-bench",
          "bench");

  @Test
  void helpListsEveryCommand() {
    CliRun r = CliRun.of("--help");
    assertEquals(0, r.status());
    for (String command : COMMANDS) {
      assertTrue(
          r.out().lines().anyMatch(line -> line.strip().startsWith(command + " ")),
          command + " in\n" + r.out());
    }
  }

  /** The whole main job (4-5 minutes on 2 cores); CI also runs it through the launcher. */
  @Test
  @Tag("slow")
  void quickstartRunsOnTheGpuDeviceFallingBackToTheCpu(@TempDir Path out) {
    CliRun r = CliRun.of("quickstart", "--device", "gpu", "--out", out.toString());
    assertEquals(0, r.status(), r.err());
    JsonNode result = Json.read(out.resolve("result.json"));
    assertTrue(
        result.get("listops_max").get("test_accuracy").asDouble() >= 0.95, result.toString());
    assertTrue(result.get("heat").get("gnn_adam").get("reached").asBoolean(), result.toString());
    assertTrue(Files.isRegularFile(out.resolve("heat-gnn-adam").resolve("loss_vs_time.png")));
    assertTrue(Files.isRegularFile(out.resolve("listops-max-model").resolve("saved_model.pb")));
    assertTrue(Files.isRegularFile(out.resolve("e2").resolve("accuracy_vs_params.png")));
    assertTrue(
        result.get("e2").get("joint").get("d8").get("sum_median").asDouble() >= 0.9,
        result.toString());
    assertTrue(
        result.get("e2").get("sum_alone").get("d8").get("sum_median").asDouble() < 0.9,
        result.toString());
  }

  @Test
  void anUnknownOptionIsAUsageErrorWithStatusTwo() {
    CliRun r = CliRun.of("listops", "eval", "--no-such-option", "[MAX 1 2 ]");
    assertEquals(Emergence.Cli.BAD_INPUT, r.status());
    assertTrue(r.err().contains("--no-such-option"), r.err());
  }
}
