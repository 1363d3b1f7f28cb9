package dev.emergence.reparam.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.nn.SparseMatrix;
import dev.emergence.reparam.graph.GraphSpec;
import dev.emergence.reparam.problem.HeatProblem;
import dev.emergence.reparam.problem.KuramotoProblem;
import dev.emergence.reparam.problem.KuramotoProblemTest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HessianEstimatorTest {
  /** max |estimate - exact| over the pattern, relative to the largest |exact| entry. */
  static double relativeError(SparseMatrix estimate, SparseMatrix exact) {
    double worst = 0;
    double scale = 0;
    for (int k = 0; k < exact.nonzeros(); k++) {
      scale = Math.max(scale, Math.abs(exact.values()[k]));
    }
    for (int k = 0; k < exact.nonzeros(); k++) {
      assertEquals(exact.rows()[k], estimate.rows()[k]);
      assertEquals(exact.cols()[k], estimate.cols()[k]);
      worst = Math.max(worst, Math.abs(estimate.values()[k] - exact.values()[k]));
    }
    return worst / scale;
  }

  @Test
  void theColouringIsADistanceTwoColouringWithFewColours() {
    for (String spec : new String[] {"grid2d:12x9", "grid3d:5x4x3", "rgg:300:0.12"}) {
      SparseMatrix pattern =
          KuramotoProblemTest.onFullCircle(GraphSpec.load(spec, 1).graph()).hessian();
      int[] colour = HessianEstimator.distance2Colouring(pattern);
      assertTrue(HessianEstimator.isDistance2Colouring(pattern, colour), spec);
      int[][] adjacent = HessianEstimator.adjacency(pattern);
      int maxDegree = Arrays.stream(adjacent).mapToInt(a -> a.length).max().orElseThrow();
      int colours = Arrays.stream(colour).max().orElseThrow() + 1;
      assertTrue(colours <= maxDegree * maxDegree + 1, spec + ": " + colours + " colours");
    }
    // a plain colouring of a path 0-1-2 (0 and 2 share a colour) is not one
    SparseMatrix path =
        KuramotoProblemTest.onFullCircle(GraphSpec.load("grid2d:3x1", 0).graph()).hessian();
    assertFalse(HessianEstimator.isDistance2Colouring(path, new int[] {0, 1, 0}));
    assertTrue(
        HessianEstimator.isDistance2Colouring(path, HessianEstimator.distance2Colouring(path)));
  }

  @Test
  void heatHessiansAreRecoveredExactly() {
    for (String spec : new String[] {"grid2d:9x7", "grid3d:5x4x3", "rgg:200:0.15"}) {
      HeatProblem p = HeatProblem.of(GraphSpec.load(spec, 2));
      SparseMatrix estimate = HessianEstimator.estimate(p, p.initialPoint(4));
      double error = relativeError(estimate, p.hessian());
      assertTrue(error <= 1e-10, spec + ": relative error " + error);
    }
  }

  @Test
  void kuramotoHessiansAreRecoveredToFiniteDifferenceAccuracy() {
    for (String spec : new String[] {"grid2d:8x6", "rgg:150:0.2"}) {
      KuramotoProblem p = KuramotoProblemTest.onFullCircle(GraphSpec.load(spec, 3).graph());
      double[] theta = p.initialPoint(5);
      SparseMatrix exact = p.hessianAt(theta);
      double viaTf =
          relativeError(
              HessianEstimator.estimate(p, exact, theta, HessianEstimator.DEFAULT_STEP), exact);
      assertTrue(viaTf <= 1e-5, spec + " (TensorFlow gradients): relative error " + viaTf);
      double viaDoubles =
          relativeError(
              HessianEstimator.estimate(exact, theta, p::gradient, HessianEstimator.DEFAULT_STEP),
              exact);
      assertTrue(viaDoubles <= 1e-5, spec + " (analytic gradients): relative error " + viaDoubles);
    }
    // a weighted graph: the couplings scale the entries
    KuramotoProblem w =
        new KuramotoProblem(
            KuramotoProblemTest.weighted(),
            new KuramotoProblem.Settings(KuramotoProblem.HessianAt.SYNCHRONIZED, 6, null),
            0);
    double[] theta = w.initialPoint(1);
    SparseMatrix exact = w.hessianAt(theta);
    assertTrue(
        relativeError(
                HessianEstimator.estimate(w, exact, theta, HessianEstimator.DEFAULT_STEP), exact)
            <= 1e-5);
    // at the synchronized state the estimate is the propagation's Laplacian
    SparseMatrix laplacian = w.hessian();
    assertTrue(
        relativeError(HessianEstimator.estimate(w, new double[w.size()]), laplacian) <= 1e-5);
  }

  @Test
  void aPlainColouringWouldMixEntries() {
    // path 0-1-2 with the plain colouring {0, 1, 0}: row 1 of colour 0 adds H_10 and H_12
    KuramotoProblem p = KuramotoProblemTest.onFullCircle(GraphSpec.load("grid2d:3x1", 0).graph());
    double[] theta = {0.1, 0.7, -0.4};
    SparseMatrix exact = p.hessianAt(theta);
    double[] column = new double[3];
    double h = 1e-4;
    double[] up = theta.clone();
    double[] down = theta.clone();
    up[0] += h;
    up[2] += h;
    down[0] -= h;
    down[2] -= h;
    double[] gUp = p.gradient(up);
    double[] gDown = p.gradient(down);
    for (int i = 0; i < 3; i++) {
      column[i] = (gUp[i] - gDown[i]) / (2 * h);
    }
    assertEquals(exact.get(1, 0) + exact.get(1, 2), column[1], 1e-6);
    assertTrue(Math.abs(column[1] - exact.get(1, 0)) > 0.1);
  }
}
