package dev.emergence.reparam.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emergence.nn.GnnReparametrization;
import dev.emergence.reparam.Trace;
import dev.emergence.reparam.graph.GraphSpec;
import dev.emergence.reparam.method.GnnStage;
import dev.emergence.reparam.method.MethodKind;
import dev.emergence.reparam.method.MethodResult;
import dev.emergence.reparam.method.OptimizerKind;
import dev.emergence.reparam.method.RunSettings;
import dev.emergence.reparam.method.Stopping;
import dev.emergence.reparam.problem.HeatProblem;
import dev.emergence.report.Json;
import dev.emergence.report.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReparamRunTest {
  @TempDir Path dir;

  private static MethodResult result(
      boolean reached, Long iterationsToTol, Double wallToTol, long iterations, double wall) {
    return new MethodResult(
        MethodKind.DIRECT,
        "sgd",
        0.1,
        null,
        reached,
        iterationsToTol,
        wallToTol,
        1e-6,
        iterations,
        wall,
        0,
        null,
        0.0,
        null,
        false,
        reached ? "reached" : "max_iterations",
        null,
        null,
        null,
        java.util.Map.of());
  }

  @Test
  void speedupIsALowerBoundWhenDirectNeverReachedTheTolerance() {
    MethodResult gnn = result(true, 100L, 2.0, 100, 2.0);
    ReparamRun.Speedup exact = ReparamRun.Speedup.of(result(true, 1000L, 10.0, 1000, 10.0), gnn);
    assertEquals(5.0, exact.wall(), 1e-12);
    assertEquals(10.0, exact.iterations(), 1e-12);
    assertTrue(!exact.lowerBound());
    ReparamRun.Speedup bound = ReparamRun.Speedup.of(result(false, null, null, 3000, 30.0), gnn);
    assertEquals(15.0, bound.wall(), 1e-12);
    assertEquals(30.0, bound.iterations(), 1e-12);
    assertTrue(bound.lowerBound());
    ReparamRun.Speedup none =
        ReparamRun.Speedup.of(result(true, 10L, 1.0, 10, 1.0), result(false, null, null, 5, 9.0));
    assertEquals(null, none.wall());
  }

  @Test
  void runWritesResultPlotAndDumps() throws Exception {
    HeatProblem problem = HeatProblem.of(GraphSpec.load("grid2d:7x5", 0));
    RunSettings d = RunSettings.defaults(OptimizerKind.ADAM, problem, 0);
    RunSettings s =
        d.withRates(d.rates().withRates(0.03, 0.01, 1e-3))
            .withStopping(
                new Stopping(1e-6, 20_000, 1e6)) // iteration budgets decide, never the clock
            .withGnn(
                d.gnn()
                    .withNet(
                        new GnnReparametrization.Config(
                            8,
                            2,
                            GnnReparametrization.Skip.CONCAT,
                            GnnReparametrization.Activation.TANH,
                            0))
                    .withPlateau(new GnnStage.Plateau(20, 1e-4)));
    RunDirectory run = RunDirectory.create(dir);
    ReparamRun.Outcome r =
        ReparamRun.run(
            "grid2d:7x5", problem, List.of(MethodKind.DIRECT, MethodKind.GNN), s, 2, run);
    ReparamRun.write(r, run);
    JsonNode json = Json.read(dir.resolve("result.json"));
    assertEquals("heat", json.get("problem").asText());
    assertEquals("grid2d:7x5", json.get("graph").asText());
    assertEquals(5 / 12.0, json.get("exact_energy").asDouble(), 1e-12);
    for (String m : List.of("direct", "gnn")) {
      JsonNode method = json.get("methods").get(m);
      assertTrue(method.get("reached").asBoolean(), m);
      assertTrue(method.get("final_gap").asDouble() < 1e-5, m);
      assertTrue(
          method.has("iterations_to_tol")
              && method.has("wall_s_to_tol")
              && method.has("iterations")
              && method.has("wall_s"));
      assertEquals(2, json.get("per_seed").get(m).size());
    }
    assertTrue(json.get("speedup").has("lower_bound"));
    assertTrue(Files.size(dir.resolve("loss_vs_time.png")) > 1000);
    Path solution = dir.resolve("solution.csv");
    problem.writeSolution(r.median(MethodKind.GNN).solution(), solution);
    List<String> lines = Files.readAllLines(solution);
    assertEquals("node,value,fixed", lines.get(0));
    assertEquals(36, lines.size());
    assertEquals("0,1.0,1", lines.get(1));
    String[] middle = lines.get(1 + 3).split(",", -1);
    assertEquals(0.5, Double.parseDouble(middle[1]), 1e-2);
    assertEquals("0", middle[2]);
    String metrics = Files.readAllLines(dir.resolve("metrics.jsonl")).get(0);
    assertTrue(
        metrics.matches(
            "\\{\"method\":\"direct\",\"seed\":0,\"iteration\":0,\"wall_s\":[-0-9.E]+,\"gap\":[-0-9.E]+,\"energy\":[-0-9.E]+}"),
        metrics);
  }

  @Test
  void withSeedReseedsTheGnnAndKeepsEverythingElse() {
    RunSettings s =
        RunSettings.defaults(OptimizerKind.SGD, HeatProblem.of(GraphSpec.load("grid2d:6x4", 0)), 0);
    assertEquals(0.25, s.rates().direct(), 1e-15);
    assertEquals(0.25, s.rates().stage2(), 1e-15);
    RunSettings t = s.withSeed(7);
    assertEquals(7, t.seed());
    assertEquals(7, t.gnn().net().seed());
    assertEquals(s, t.withSeed(0));
  }

  @Test
  void traceSamplesAreIncreasingAndKeepTheLastPoint() {
    Trace t = new Trace();
    for (int i = 0; i < 5000; i++) {
      t.add(i, i * 1e-3, 1.0 / (i + 1));
    }
    int[] idx = t.sample(100);
    assertTrue(idx.length <= 102 && idx.length > 50);
    assertEquals(0, idx[0]);
    assertEquals(4999, idx[idx.length - 1]);
    for (int k = 1; k < idx.length; k++) {
      assertTrue(idx[k] > idx[k - 1]);
    }
  }
}
