package dev.emergence.reparam.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.nn.SparseMatrix;
import dev.emergence.reparam.Problem;
import dev.emergence.reparam.graph.GraphSpec;
import dev.emergence.reparam.problem.HeatProblem;
import dev.emergence.reparam.problem.Problems;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;

/**
 * The curvature-aware optimizers' rates against a dense eigendecomposition (EJML) of small
 * Hessians.
 */
class SpectrumTest {
  /** Every eigenvalue of a small sparse symmetric matrix, ascending. */
  private static double[] exactEigenvalues(SparseMatrix h) {
    DMatrixRMaj dense = new DMatrixRMaj(h.n(), h.n());
    for (int k = 0; k < h.nonzeros(); k++) {
      dense.add(h.rows()[k], h.cols()[k], h.values()[k]);
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(h.n(), false, true);
    assertTrue(eig.decompose(dense));
    double[] values = new double[h.n()];
    for (int i = 0; i < values.length; i++) {
      values[i] = eig.getEigenvalue(i).getReal();
    }
    Arrays.sort(values);
    return values;
  }

  @Test
  void nesterovsRatesComeFromTheExactExtremesOfABadlyConditionedHessian() {
    HeatProblem p = HeatProblem.of(GraphSpec.load("grid2d:16x12@disorder=2", 3)); // 168 free nodes
    double[] exact = exactEigenvalues(p.hessian());
    double min = exact[0];
    double max = exact[exact.length - 1];
    assertTrue(max / min > 1e3, "badly conditioned: kappa " + max / min);
    Spectrum s = Spectrum.of(p, Spectrum.Of.HESSIAN);
    assertEquals(max, s.lambdaMax(), 1e-9 * max);
    assertEquals(
        min,
        s.lambdaMin(),
        Spectrum.SETTLED * min,
        "lambda_min settles within 1e-3 of the smallest eigenvalue");
    double root = Math.sqrt(max / min);
    assertEquals(
        (root - 1) / (root + 1),
        s.nesterovMomentum(),
        1e-4,
        "the momentum of the exact condition number");
    assertEquals(
        1 / max, OptimizerKind.NESTEROV.defaultDirectLr(p), 1e-9 / max, "step 1 / lambda_max");
  }

  @Test
  void jacobisStepComesFromTheScaledHessiansExtremes() {
    HeatProblem p = HeatProblem.of(GraphSpec.load("rrg:120:3@disorder=3", 1));
    double[] exact = exactEigenvalues(Spectrum.jacobiScaled(p.hessian()));
    double optimal = 2 / (exact[0] + exact[exact.length - 1]);
    // lambda_max settles; lambda_min is an overestimate that barely moves the step when lambda_max
    // dominates
    assertEquals(optimal, OptimizerKind.JACOBI.defaultDirectLr(p), 0.01 * optimal);
  }

  @Test
  void aLaplaciansConstantNullVectorIsLeftOut() {
    Problem kuramoto = Problems.defaults("kuramoto").create("grid2d:9x7@disorder=1", 2);
    double[] exact = exactEigenvalues(kuramoto.hessian());
    assertEquals(0, exact[0], 1e-9, "the coupling Laplacian is singular");
    Spectrum s = Spectrum.of(kuramoto, Spectrum.Of.HESSIAN);
    assertEquals(
        exact[1], s.lambdaMin(), Spectrum.SETTLED * exact[1], "the smallest nonzero eigenvalue");
    assertEquals(exact[exact.length - 1], s.lambdaMax(), 1e-9 * exact[exact.length - 1]);
  }
}
