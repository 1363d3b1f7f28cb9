package dev.emergence.reparam.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.nn.GnnReparametrization;
import dev.emergence.reparam.Problem;
import dev.emergence.reparam.Trace;
import dev.emergence.reparam.graph.GraphSpec;
import dev.emergence.reparam.problem.HeatProblem;
import dev.emergence.reparam.problem.KuramotoProblem;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The watched quantity (Kuramoto's order parameter r) in a run's trace: where it is measured and
 * that it is r of the right x.
 */
class WatchedQuantityTest {
  /** r = |mean exp(i theta)| written out independently of KuramotoProblem. */
  private static double orderParameter(double[] theta) {
    double re = 0;
    double im = 0;
    for (double t : theta) {
      re += Math.cos(t);
      im += Math.sin(t);
    }
    re /= theta.length;
    im /= theta.length;
    return Math.sqrt(re * re + im * im);
  }

  private static RunSettings settings(Problem problem, long maxIterations) {
    RunSettings d = RunSettings.defaults(OptimizerKind.ADAM, problem, 0);
    return d.withStopping(
            new Stopping(1e-4, maxIterations, 1e6)) // iteration budgets decide, never the clock
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
  }

  @Test
  void theScheduleTakesEveryEarlyIterationThenAbout16PerDoubling() {
    for (long it = 0; it < 32; it++) {
      assertTrue(Trace.watchAt(it), "iteration " + it);
    }
    assertFalse(
        Trace.watchAt(
            32)); // from the 33rd iteration on: every second one, then every fourth from the 65th
    assertTrue(Trace.watchAt(33));
    assertFalse(Trace.watchAt(64));
    assertTrue(Trace.watchAt(67));
    long count = java.util.stream.LongStream.range(0, 20_000).filter(Trace::watchAt).count();
    assertTrue(count > 160 && count < 200, "" + count);
  }

  @Test
  void theRecordedOrderParameterIsThatOfThePhasesOfTheSameStep() {
    KuramotoProblem problem =
        new KuramotoProblem(
            GraphSpec.load("grid2d:5x5", 0).graph(),
            new KuramotoProblem.Settings(KuramotoProblem.HessianAt.SYNCHRONIZED, 2.0, null),
            0);
    assertEquals("r", problem.watched().orElseThrow().key());
    RunSettings s = settings(problem, 5000);
    double r0 = orderParameter(problem.initialPoint(s.seed()));
    for (MethodKind method : List.of(MethodKind.DIRECT, MethodKind.GNN, MethodKind.LBFGS)) {
      MethodRun run = MethodsTest.run(method, problem, s);
      assertTrue(run.result().reached(), method + ": " + run.result());
      Trace t = run.trace();
      // the first entry is of the initial phases (read before the first update), the last of the
      // answer
      assertTrue(t.hasWatched(0) && t.hasWatched(t.size() - 1), method.toString());
      assertEquals(r0, t.watched(0), 1e-12, method.toString());
      assertEquals(
          orderParameter(run.solution()), t.watched(t.size() - 1), 1e-12, method.toString());
      assertTrue(t.watched(t.size() - 1) > r0, method + ": synchronizing raises r");
      for (int i = 0; i < t.size(); i++) {
        assertEquals(
            Trace.watchAt(t.iteration(i)) || i == t.size() - 1,
            t.hasWatched(i),
            method + " entry " + i);
      }
    }
  }

  @Test
  void theLastStepTheIterationBudgetAllowsIsWatchedAndHeatWatchesNothing() {
    KuramotoProblem kuramoto =
        new KuramotoProblem(
            GraphSpec.load("grid2d:5x5", 0).graph(),
            new KuramotoProblem.Settings(KuramotoProblem.HessianAt.SYNCHRONIZED, 6.0, null),
            0);
    MethodRun r = MethodsTest.run(MethodKind.DIRECT, kuramoto, settings(kuramoto, 101));
    assertEquals("max_iterations", r.result().stop());
    assertEquals(100, r.trace().iteration(r.trace().size() - 1));
    assertTrue(
        r.trace()
            .hasWatched(r.trace().size() - 1)); // iteration 100: not on the schedule (every fourth)
    assertFalse(Trace.watchAt(100));

    HeatProblem heat = HeatProblem.of(GraphSpec.load("grid2d:5x4", 0));
    assertTrue(heat.watched().isEmpty());
    Trace t = MethodsTest.run(MethodKind.GNN, heat, settings(heat, 300)).trace();
    for (int i = 0; i < t.size(); i++) {
      assertFalse(t.hasWatched(i));
    }
  }
}
