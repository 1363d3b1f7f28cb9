package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emergence.reparam.method.MethodKind;
import dev.emergence.reparam.problem.DenoisingProblem;
import dev.emergence.reparam.problem.Problems;
import dev.emergence.report.Json;
import dev.emergence.report.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A problem added as the README's "Adding a problem" says: one class with its settings record
 * ({@link DenoisingProblem}), registered with one line, runs through {@code reparam} and {@code
 * reparam-bench} end to end, its option under its own heading.
 */
class AddedProblemTest {
  static {
    Problems.register("denoising", DenoisingProblem.Settings.DEFAULTS);
  }

  @Test
  void itsOptionIsListedUnderItsOwnHeading() {
    for (String command : List.of("reparam", "reparam-bench")) {
      CliRun r = CliRun.of(command, "--help");
      assertEquals(0, r.status(), r.err());
      String help = r.out().replaceAll("\\s+", " ");
      assertTrue(
          help.contains(
              "Options of --problem denoising: --fidelity=<fidelity> Weight of the data term (default: 0.1)."),
          r.out());
      assertTrue(
          help.contains("Problem: " + String.join(", ", Problems.names()) + " (default: heat)."),
          r.out());
    }
  }

  @Test
  void everyMethodReachesItsExactOptimum(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");
    CliRun r =
        CliRun.of(
            "reparam",
            "--problem",
            "denoising",
            "--fidelity",
            "0.5",
            "--graph",
            "grid2d:8x8",
            "--methods",
            "direct,gnn,lbfgs,cg",
            "--optimizer",
            "sgd",
            "--gnn-lr",
            "0.01",
            "--max-iterations",
            "20000",
            "--hidden",
            "8",
            "--no-tensorboard",
            "--out",
            out.toString());
    assertEquals(0, r.status(), r.err() + r.out());
    JsonNode result = Json.read(out.resolve(RunDirectory.RESULT));
    assertEquals("denoising", result.get("problem").asText());
    assertEquals("optimum", result.get("target_source").asText());
    double exact =
        new DenoisingProblem.Settings(0.5).create("grid2d:8x8", 0).optimum().orElseThrow().energy();
    assertEquals(exact, result.get("exact_energy").asDouble(), 1e-12);
    for (MethodKind m : MethodKind.values()) {
      JsonNode run = result.get("methods").get(m.toString());
      assertTrue(run.get("reached").asBoolean(), m + ": " + run);
      assertTrue(run.get("max_abs_error").asDouble() < 1e-2, m + ": " + run);
    }
    JsonNode config = Json.read(out.resolve(RunDirectory.CONFIG));
    assertEquals(0.5, config.get("problem_settings").get("fidelity").asDouble());
    assertTrue(Files.size(out.resolve("loss_vs_time.png")) > 1000);
  }

  @Test
  void aBenchOfItResumes(@TempDir Path dir) {
    List<String> args =
        List.of(
            "reparam-bench",
            "--problem",
            "denoising",
            "--graphs",
            "grid2d:6x6",
            "--optimizers",
            "sgd",
            "--seeds",
            "1",
            "--lr-factors",
            "1",
            "--max-iterations",
            "3000",
            "--hidden",
            "4",
            "--layers",
            "1",
            "--no-tensorboard",
            "--out",
            dir.resolve("b").toString());
    CliRun first = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, first.status(), first.err());
    List<String> again = new java.util.ArrayList<>(args);
    again.add("--resume");
    CliRun resumed = CliRun.of(again.toArray(String[]::new));
    assertEquals(0, resumed.status(), resumed.err());
    assertEquals(
        4, resumed.out().lines().filter(l -> l.startsWith("resumed")).count(), resumed.out());
    again.addAll(List.of("--fidelity", "0.2"));
    CliRun refused = CliRun.of(again.toArray(String[]::new));
    assertEquals(Emergence.Cli.BAD_INPUT, refused.status());
    assertTrue(refused.err().contains("problem_settings.fidelity: 0.1 -> 0.2"), refused.err());
  }

  @Test
  void itsOptionIsCheckedAndBelongsToIt(@TempDir Path dir) {
    String o = dir.resolve("run").toString();
    CliRun zero =
        CliRun.of(
            "reparam",
            "--problem",
            "denoising",
            "--fidelity",
            "0",
            "--graph",
            "grid2d:4x4",
            "--out",
            o);
    assertEquals(Emergence.Cli.BAD_INPUT, zero.status());
    assertEquals("error: --fidelity must be positive, got 0.0", zero.err().strip());
    CliRun heat = CliRun.of("reparam", "--fidelity", "0.5", "--graph", "grid2d:4x4", "--out", o);
    assertEquals(Emergence.Cli.BAD_INPUT, heat.status());
    assertEquals(
        "error: --fidelity is an option of problem denoising, not of heat", heat.err().strip());
    assertFalse(Files.exists(dir.resolve("run")));
  }
}
