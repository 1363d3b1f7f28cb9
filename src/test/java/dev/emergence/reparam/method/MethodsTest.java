package dev.emergence.reparam.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.nn.GnnReparametrization;
import dev.emergence.reparam.Problem;
import dev.emergence.reparam.Trace;
import dev.emergence.reparam.graph.GraphSpec;
import dev.emergence.reparam.problem.HeatProblem;
import dev.emergence.session.Device;
import java.util.List;
import org.junit.jupiter.api.Test;

class MethodsTest {
  /**
   * The defaults with these rates, a small GNN and a plateau of 20 steps; iteration budgets decide,
   * never the clock.
   */
  static RunSettings settings(
      Problem p, OptimizerKind kind, double directLr, double gnnLr, double stage2Lr) {
    RunSettings d = RunSettings.defaults(kind, p, 1);
    return d.withRates(d.rates().withRates(directLr, gnnLr, stage2Lr))
        .withStopping(new Stopping(1e-8, 20_000, 1e6))
        .withGnn(
            d.gnn()
                .withNet(
                    new GnnReparametrization.Config(
                        8,
                        2,
                        GnnReparametrization.Skip.CONCAT,
                        GnnReparametrization.Activation.TANH,
                        1))
                .withPlateau(new GnnStage.Plateau(20, 1e-3)));
  }

  /** A method on a problem, aiming at its own target at the settings' tolerance. */
  static MethodRun run(MethodKind method, Problem p, RunSettings s) {
    return method.run(p, p.target(s.stopping().tolerance()).orElseThrow(), s);
  }

  @Test
  void twoStageMethodConvergesToTheExactSolutionOnASmallGrid() {
    HeatProblem p = HeatProblem.of(GraphSpec.load("grid2d:10x8", 0));
    MethodRun run = run(MethodKind.GNN, p, settings(p, OptimizerKind.ADAM, 0.01, 0.01, 0.001));
    MethodResult r = run.result();
    assertTrue(r.reached(), "gap " + r.finalGap());
    assertNotNull(r.stageSwitchIteration(), "the GNN stage should plateau and hand over");
    assertTrue(r.stageSwitchIteration() < r.iterationsToTol());
    double[] t = p.temperatures(run.solution());
    for (int node = 0; node < t.length; node++) {
      assertEquals(1 - (node % 10) / 9.0, t[node], 1e-3, "node " + node);
    }
  }

  /**
   * With handover best, the direct stage starts from the lowest-energy x of the GNN stage, not its
   * last one.
   */
  @Test
  void theBestHandoverStartsTheSecondStageAtTheLowestGnnEnergy() {
    HeatProblem p = HeatProblem.of(GraphSpec.load("grid2d:10x8", 0));
    RunSettings s = settings(p, OptimizerKind.ADAM, 0.01, 0.1, 0.001);
    assertEquals(GnnStage.Handover.BEST, s.gnn().handover());
    MethodRun run = run(MethodKind.GNN, p, s);
    MethodResult r = run.result();
    assertNotNull(r.stageSwitchIteration(), "the GNN stage should plateau and hand over");
    assertTrue(r.reached(), "gap " + r.finalGap());
    double lowest = Double.POSITIVE_INFINITY;
    double handedOver = Double.NaN;
    Trace t = run.trace();
    for (int i = 0; i < t.size(); i++) {
      if (t.iteration(i) < r.stageSwitchIteration()) {
        lowest = Math.min(lowest, t.gap(i));
      } else if (Double.isNaN(handedOver)) {
        handedOver = t.gap(i); // the first stage-2 energy: of the x handed over
      }
    }
    assertEquals(
        lowest,
        handedOver,
        1e-9 * Math.max(1, lowest),
        "stage 2 starts at the GNN stage's lowest gap");
  }

  /**
   * The best handover tracks the lowest energy inside the fast step; settings without it are
   * refused up front.
   */
  @Test
  void theBestHandoverWithoutTheFastStepIsRefusedWhenTheSettingsAreMade() {
    HeatProblem p = HeatProblem.of(GraphSpec.load("grid2d:6x4", 0));
    RunSettings s = settings(p, OptimizerKind.ADAM, 0.01, 0.1, 0.001);
    Execution reference = new Execution(1, Device.CPU, true, false);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> s.withExecution(reference));
    assertTrue(e.getMessage().contains("--handover best needs the fast step"), e.getMessage());
    assertEquals(
        GnnStage.Handover.LAST,
        s.withGnn(s.gnn().withHandover(GnnStage.Handover.LAST))
            .withExecution(reference)
            .gnn()
            .handover());
  }

  /**
   * On a badly conditioned disordered graph, Jacobi-preconditioned gradient descent (rate from its
   * spectrum) needs far fewer iterations than plain GD at its edge of stability, and Nesterov's
   * momentum fewer than GD; each reaches the tolerance. Their spectrum estimate's seconds are
   * counted.
   */
  @Test
  void jacobiAndNesterovNeedFewerIterationsThanGradientDescentOnADisorderedGraph() {
    HeatProblem p = HeatProblem.of(GraphSpec.load("grid2d:10x8@disorder=2", 4));
    Stopping stopping = new Stopping(1e-6, 200_000, 1e6);
    MethodResult gd =
        run(
                MethodKind.DIRECT,
                p,
                RunSettings.defaults(OptimizerKind.SGD, p, 1).withStopping(stopping))
            .result();
    MethodResult jacobi =
        run(
                MethodKind.DIRECT,
                p,
                RunSettings.defaults(OptimizerKind.JACOBI, p, 1).withStopping(stopping))
            .result();
    MethodResult nesterov =
        run(
                MethodKind.DIRECT,
                p,
                RunSettings.defaults(OptimizerKind.NESTEROV, p, 1).withStopping(stopping))
            .result();
    assertTrue(
        gd.reached() && jacobi.reached() && nesterov.reached(),
        gd.stop() + " " + jacobi.stop() + " " + nesterov.stop());
    assertTrue(
        2 * jacobi.iterationsToTol() < gd.iterationsToTol(),
        "jacobi " + jacobi.iterationsToTol() + ", GD " + gd.iterationsToTol());
    assertTrue(
        3 * nesterov.iterationsToTol() < gd.iterationsToTol(),
        "nesterov " + nesterov.iterationsToTol() + ", GD " + gd.iterationsToTol());
    assertTrue(
        nesterov.wallS() >= Spectrum.of(p, Spectrum.Of.HESSIAN).seconds(),
        "the estimate's seconds are in the run's");
  }

  /**
   * Through the GNN: jacobi scales the GNN's output by D^-1/2, nesterov puts momentum on its
   * parameters; both reach the target.
   */
  @Test
  void jacobiAndNesterovRunThroughTheGnn() {
    HeatProblem p = HeatProblem.of(GraphSpec.load("grid2d:8x6@disorder=1", 4));
    for (OptimizerKind kind : List.of(OptimizerKind.JACOBI, OptimizerKind.NESTEROV)) {
      RunSettings d = settings(p, kind, 1, 1, 1);
      RunSettings s =
          d.withRates(RunSettings.defaults(kind, p, 1).rates())
              .withStopping(new Stopping(1e-6, 200_000, 1e6));
      MethodResult r = run(MethodKind.GNN, p, s).result();
      assertTrue(r.reached(), kind + ": " + r.stop() + ", gap " + r.finalGap());
      assertNotNull(r.stageSwitchIteration(), kind + ": the GNN stage hands over");
    }
  }

  /**
   * Kuramoto from the full circle on a small grid: a run caught in a vortex state stops by the
   * stall rule long before its cap, with its vortices counted and the local minimum it sat in
   * timed; a run that synchronizes reaches the target with no vortex left. Without the rule nothing
   * is written.
   */
  @Test
  void theStallRuleEndsARunCaughtInAVortexState() {
    var settings =
        new dev.emergence.reparam.problem.KuramotoProblem.Settings(
            dev.emergence.reparam.problem.KuramotoProblem.HessianAt.SYNCHRONIZED,
            2 * Math.PI,
            null);
    Problem p = settings.create("grid2d:16x16", 0);
    Stopping stopping = new Stopping(1e-6, 50_000, 1e6, 300);
    int stalled = 0;
    int reached = 0;
    for (long seed = 0; seed < 6; seed++) {
      MethodResult r =
          run(
                  MethodKind.DIRECT,
                  p,
                  RunSettings.defaults(OptimizerKind.SGD, p, seed).withStopping(stopping))
              .result();
      assertNotNull(r.localMinimum(), "every run here ends in a minimum: " + r.stop());
      assertTrue(r.localMinimum().iterations() <= r.iterations());
      if (r.stop().equals("stalled")) {
        stalled++;
        assertTrue(r.measures().get("vortices") >= 1, "a vortex state: " + r.measures());
        assertTrue(r.iterations() < 10_000, "stopped long before the cap: " + r.iterations());
      } else {
        assertTrue(r.reached(), r.stop());
        reached++;
        assertEquals(0.0, r.measures().get("vortices"));
      }
    }
    assertTrue(stalled > 0 && reached > 0, stalled + " stalled, " + reached + " reached");
    assertTrue(
        !dev.emergence.report.Json.line(Stopping.DEFAULTS).contains("stall"),
        "no stall rule, no key");
  }

  @Test
  void directGradientDescentConvergesAndCountsItsIterations() {
    HeatProblem p = HeatProblem.of(GraphSpec.load("grid2d:6x4", 0));
    MethodRun run = run(MethodKind.DIRECT, p, settings(p, OptimizerKind.SGD, 0.25, 0.25, 0.25));
    MethodResult r = run.result();
    assertTrue(r.reached());
    assertTrue(r.maxAbsError() < 1e-3);
    assertEquals(r.iterationsToTol(), r.iterations());
    assertEquals(
        run.trace().size(),
        r.iterations() + 1,
        "one gap per step, the last one reached the tolerance");
  }

  @Test
  void aTooLargeStepIsReportedAsDivergence() {
    HeatProblem p = HeatProblem.of(GraphSpec.load("grid2d:6x4", 0));
    MethodResult r = run(MethodKind.DIRECT, p, settings(p, OptimizerKind.SGD, 1.0, 1, 1)).result();
    assertTrue(r.diverged());
    assertTrue(!r.reached());
  }

  @Test
  void lbfgsAndConjugateGradientsReachTheExactSolutionOfASmallProblem() {
    HeatProblem p = HeatProblem.of(GraphSpec.load("rgg:300:0.15", 2));
    double[] exact = p.exactSolution();
    for (MethodKind method : List.of(MethodKind.LBFGS, MethodKind.CG)) {
      MethodRun run = run(method, p, settings(p, OptimizerKind.SGD, 1, 1, 1));
      MethodResult r = run.result();
      assertTrue(r.reached(), r.method() + " gap " + r.finalGap());
      assertTrue(r.finalGap() <= 1e-8, r.method() + " final gap " + r.finalGap());
      assertTrue(
          r.iterationsToTol() < 300,
          r.method() + " needs fewer iterations than variables: " + r.iterationsToTol());
      double max = 0;
      for (int i = 0; i < exact.length; i++) {
        max = Math.max(max, Math.abs(run.solution()[i] - exact[i]));
      }
      assertTrue(max < 1e-3, r.method() + " max error " + max);
      assertEquals(r.method().toString(), r.optimizer());
    }
  }

  /**
   * The default second stage (from the GNN stage's best x, Adam at 1e-4 halved on stage-2 plateaus)
   * finishes on 64^2 within an iteration budget.
   */
  @Test
  void theSecondStageReachesTheToleranceOnA64GridWithinAnIterationBudget() {
    HeatProblem p = HeatProblem.of(GraphSpec.load("grid2d:64x64", 0));
    RunSettings s =
        RunSettings.defaults(OptimizerKind.ADAM, p, 0).withStopping(new Stopping(1e-6, 1500, 1e6));
    MethodResult r = run(MethodKind.GNN, p, s).result();
    assertTrue(r.reached(), "gap " + r.finalGap() + " after " + r.iterations());
    assertNotNull(r.stageSwitchIteration(), "the GNN stage hands over");
    assertTrue(r.finalGap() <= 1e-6);
    assertTrue(r.maxAbsError() < 1e-2, "max error " + r.maxAbsError());
  }

  /**
   * The cheaper step (fused kernels, seeded gradient, per-layer read-out) follows the same iterates
   * to float rounding.
   */
  @Test
  void theCheaperStepGivesTheSameIteratesToFloatRounding() {
    HeatProblem p = HeatProblem.of(GraphSpec.load("grid2d:10x8", 0));
    for (OptimizerKind kind :
        List.of(OptimizerKind.ADAM, OptimizerKind.SGD, OptimizerKind.ADAGRAD)) {
      RunSettings d = RunSettings.defaults(kind, p, 3);
      RunSettings base =
          d.withStopping(new Stopping(1e-12, 40, 1e6))
              .withGnn(d.gnn().withPlateau(new GnnStage.Plateau(5, 0)));
      for (MethodKind method : List.of(MethodKind.GNN, MethodKind.DIRECT)) {
        // the fast step with the default best-x bookkeeping (no hand-over here: the plateau
        // threshold is 0),
        // with and without TensorFlow's graph optimizer, against the reference step handing over
        // its last x
        Trace reference =
            run(
                    method,
                    p,
                    base.withGnn(base.gnn().withHandover(GnnStage.Handover.LAST))
                        .withExecution(new Execution(1, Device.CPU, true, false)))
                .trace();
        for (boolean graphOptimizer : List.of(true, false)) {
          Trace fast =
              run(method, p, base.withExecution(new Execution(1, Device.CPU, graphOptimizer, true)))
                  .trace();
          assertEquals(reference.size(), fast.size());
          // float32 GNN: rounding differences of about 1e-7, grown a little by 40 steps; float64
          // direct: far less
          double tolerance = method == MethodKind.GNN ? 1e-4 : 1e-9;
          for (int i = 0; i < fast.size(); i++) {
            double a = reference.gap(i);
            double b = fast.gap(i);
            assertEquals(
                a,
                b,
                tolerance * Math.abs(a) + 1e-12,
                kind + " " + method + " graph optimizer " + graphOptimizer + " iteration " + i);
          }
        }
      }
    }
  }
}
