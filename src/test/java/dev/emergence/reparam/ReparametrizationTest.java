package dev.emergence.reparam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.nn.GnnReparametrization;
import org.junit.jupiter.api.Test;

class ReparametrizationTest {
  private static RunSettings settings(Problem p, OptimizerKind kind, double directLr, double gnnLr, double stage2Lr) {
    return RunSettings.defaults(kind, p, 1).withLearningRates(directLr, gnnLr, stage2Lr).toBuilder()
        .tolerance(1e-8)
        .budgetS(1e6) // iteration budgets decide, never the clock
        .maxIterations(20_000)
        .gnn(new GnnReparametrization.Config(8, 2, GnnReparametrization.Skip.CONCAT, GnnReparametrization.Activation.TANH, 1))
        .plateau(20, 1e-3)
        .build();
  }

  @Test
  void twoStageMethodConvergesToTheExactSolutionOnASmallGrid() {
    HeatProblem p = HeatProblem.of(GraphSpec.load("grid2d:10x8", 0));
    MethodResult r = Reparametrization.gnn(p, settings(p, OptimizerKind.ADAM, 0.01, 0.01, 0.001));
    assertTrue(r.reached(), "gap " + r.finalGap());
    assertNotNull(r.stageSwitchIteration(), "the GNN stage should plateau and hand over");
    assertTrue(r.stageSwitchIteration() < r.iterationsToTol());
    double[] t = p.temperatures(r.solution());
    for (int node = 0; node < t.length; node++) {
      assertEquals(1 - (node % 10) / 9.0, t[node], 1e-3, "node " + node);
    }
  }

  @Test
  void directGradientDescentConvergesAndCountsItsIterations() {
    HeatProblem p = HeatProblem.of(GraphSpec.load("grid2d:6x4", 0));
    MethodResult r = Reparametrization.direct(p, settings(p, OptimizerKind.SGD, 0.25, 0.25, 0.25));
    assertTrue(r.reached());
    assertTrue(r.maxAbsError() < 1e-3);
    assertEquals(r.iterationsToTol(), r.iterations());
    assertEquals(r.trace().size(), r.iterations() + 1, "one gap per step, the last one reached the tolerance");
  }

  @Test
  void aTooLargeStepIsReportedAsDivergence() {
    HeatProblem p = HeatProblem.of(GraphSpec.load("grid2d:6x4", 0));
    MethodResult r = Reparametrization.direct(p, settings(p, OptimizerKind.SGD, 1.0, 1, 1));
    assertTrue(r.diverged());
    assertTrue(!r.reached());
  }
}
