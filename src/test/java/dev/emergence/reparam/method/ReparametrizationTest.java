package dev.emergence.reparam.method;

import dev.emergence.reparam.Problem;
import dev.emergence.reparam.graph.GraphSpec;
import dev.emergence.reparam.problem.HeatProblem;
import dev.emergence.reparam.run.ReparamRun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.nn.GnnReparametrization;
import java.util.List;
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

  /** With handover best, the direct stage starts from the lowest-energy x of the GNN stage, not its last one. */
  @Test
  void theBestHandoverStartsTheSecondStageAtTheLowestGnnEnergy() {
    HeatProblem p = HeatProblem.of(GraphSpec.load("grid2d:10x8", 0));
    RunSettings s = settings(p, OptimizerKind.ADAM, 0.01, 0.1, 0.001).toBuilder().handover("best").build();
    MethodResult r = Reparametrization.gnn(p, s);
    assertNotNull(r.stageSwitchIteration(), "the GNN stage should plateau and hand over");
    assertTrue(r.reached(), "gap " + r.finalGap());
    double lowest = Double.POSITIVE_INFINITY;
    double handedOver = Double.NaN;
    for (int i = 0; i < r.trace().size(); i++) {
      if (r.trace().iteration(i) < r.stageSwitchIteration()) {
        lowest = Math.min(lowest, r.trace().gap(i));
      } else if (Double.isNaN(handedOver)) {
        handedOver = r.trace().gap(i); // the first stage-2 energy: of the x handed over
      }
    }
    assertEquals(lowest, handedOver, 1e-9 * Math.max(1, lowest), "stage 2 starts at the GNN stage's lowest gap");
  }

  /** The best handover tracks the lowest energy inside the fast step; settings without it are refused up front. */
  @Test
  void theBestHandoverWithoutTheFastStepIsRefusedWhenTheSettingsAreMade() {
    HeatProblem p = HeatProblem.of(GraphSpec.load("grid2d:6x4", 0));
    RunSettings.Builder b = settings(p, OptimizerKind.ADAM, 0.01, 0.1, 0.001).toBuilder().fastStep(false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.handover("best").build());
    assertTrue(e.getMessage().contains("--handover best needs the fast step"), e.getMessage());
    assertEquals("last", b.handover("last").build().handover());
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

  @Test
  void lbfgsAndConjugateGradientsReachTheExactSolutionOfASmallProblem() {
    HeatProblem p = HeatProblem.of(GraphSpec.load("rgg:300:0.15", 2));
    double[] exact = p.exactSolution();
    for (MethodResult r : List.of(Reparametrization.lbfgs(p, settings(p, OptimizerKind.SGD, 1, 1, 1)),
        Reparametrization.cg(p, settings(p, OptimizerKind.SGD, 1, 1, 1)))) {
      assertTrue(r.reached(), r.method() + " gap " + r.finalGap());
      assertTrue(r.finalGap() <= 1e-8, r.method() + " final gap " + r.finalGap());
      assertTrue(r.iterationsToTol() < 300, r.method() + " needs fewer iterations than variables: " + r.iterationsToTol());
      double max = 0;
      for (int i = 0; i < exact.length; i++) {
        max = Math.max(max, Math.abs(r.solution()[i] - exact[i]));
      }
      assertTrue(max < 1e-3, r.method() + " max error " + max);
      assertEquals(r.method(), r.optimizer());
    }
  }

  /** The default second stage (from the GNN stage's best x, Adam at 1e-4 halved on stage-2 plateaus) finishes on 64^2 within an iteration budget. */
  @Test
  void theSecondStageReachesTheToleranceOnA64GridWithinAnIterationBudget() {
    HeatProblem p = HeatProblem.of(GraphSpec.load("grid2d:64x64", 0));
    RunSettings s = RunSettings.defaults(OptimizerKind.ADAM, p, 0).toBuilder().budgetS(1e6).maxIterations(1500).build();
    MethodResult r = Reparametrization.gnn(p, s);
    assertTrue(r.reached(), "gap " + r.finalGap() + " after " + r.iterations());
    assertNotNull(r.stageSwitchIteration(), "the GNN stage hands over");
    assertTrue(r.finalGap() <= 1e-6);
    assertTrue(r.maxAbsError() < 1e-2, "max error " + r.maxAbsError());
  }

  /** The cheaper step (fused kernels, seeded gradient, per-layer read-out) follows the same iterates to float rounding. */
  @Test
  void theCheaperStepGivesTheSameIteratesToFloatRounding() {
    HeatProblem p = HeatProblem.of(GraphSpec.load("grid2d:10x8", 0));
    for (OptimizerKind kind : List.of(OptimizerKind.ADAM, OptimizerKind.SGD, OptimizerKind.ADAGRAD)) {
      RunSettings base = RunSettings.defaults(kind, p, 3).toBuilder()
          .budgetS(1e6).maxIterations(40).tolerance(1e-12).plateau(5, 0).build();
      for (String method : List.of("gnn", "direct")) {
        // the fast step with the default best-x bookkeeping (no hand-over here: the plateau threshold is 0),
        // with and without TensorFlow's graph optimizer, against the reference step handing over its last x
        MethodResult reference = ReparamRun.runMethod(method, p, base.toBuilder().fastStep(false).handover("last").build());
        for (boolean graphOptimizer : List.of(true, false)) {
          MethodResult fast = ReparamRun.runMethod(method, p, base.toBuilder().graphOptimizer(graphOptimizer).build());
          assertEquals(reference.trace().size(), fast.trace().size());
          // float32 GNN: rounding differences of about 1e-7, grown a little by 40 steps; float64 direct: far less
          double tolerance = method.equals("gnn") ? 1e-4 : 1e-9;
          for (int i = 0; i < fast.trace().size(); i++) {
            double a = reference.trace().gap(i);
            double b = fast.trace().gap(i);
            assertEquals(a, b, tolerance * Math.abs(a) + 1e-12, kind + " " + method + " graph optimizer " + graphOptimizer + " iteration " + i);
          }
        }
      }
    }
  }
}
