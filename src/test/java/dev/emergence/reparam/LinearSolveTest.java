package dev.emergence.reparam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.nn.SparseMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearSolveTest {

  @Test
  void conjugateGradientsMatchCholeskyOnADirichletLaplacian() {
    SparseMatrix a = dirichletLaplacian(30, 20);
    double[] b = new SplittableRandom(5).doubles(a.n(), -1, 1).toArray();
    double[] exact = LinearSolve.cholesky(a, b);
    LinearSolve.Solution cg = LinearSolve.conjugateGradients(a, b, 1e-12, 10_000);
    assertTrue(cg.converged());
    assertTrue(cg.relativeResidual() <= 1e-12, "residual " + cg.relativeResidual());
    assertTrue(
        cg.iterations() < a.n(),
        "preconditioned CG needs far fewer than n iterations: " + cg.iterations());
    double[] ax = a.times(cg.x());
    for (int i = 0; i < a.n(); i++) {
      assertEquals(exact[i], cg.x()[i], 1e-9, "node " + i);
      assertEquals(b[i], ax[i], 1e-10, "row " + i);
    }
  }

  @Test
  void anIterationCapThatIsTooSmallIsReportedNotHidden() {
    SparseMatrix a = dirichletLaplacian(40, 40);
    double[] b = new double[a.n()];
    b[0] = 1;
    LinearSolve.Solution cg = LinearSolve.conjugateGradients(a, b, 1e-12, 5);
    assertFalse(cg.converged());
    assertEquals(5, cg.iterations());
    assertTrue(cg.relativeResidual() > 1e-12);
  }

  @Test
  void theEnvelopeIsWhatCholeskyWouldFill() {
    // a W x H grid numbered row by row has bandwidth W: each row reaches W entries back
    SparseMatrix a = dirichletLaplacian(10, 4);
    long expected = 0;
    for (int i = 0; i < a.n(); i++) {
      expected += i >= 10 ? 11 : (i % 10 == 0 ? 1 : 2);
    }
    assertEquals(expected, LinearSolve.envelope(a));
  }

  /** The 5-point Laplacian of a W x H grid with a zero boundary around it: positive definite. */
  static SparseMatrix dirichletLaplacian(int w, int h) {
    List<int[]> entries = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = x + w * y;
        entries.add(new int[] {i, i});
        values.add(4.0);
        int[][] neighbours = {{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}};
        for (int[] nb : neighbours) {
          if (nb[0] >= 0 && nb[0] < w && nb[1] >= 0 && nb[1] < h) {
            entries.add(new int[] {i, nb[0] + w * nb[1]});
            values.add(-1.0);
          }
        }
      }
    }
    return new SparseMatrix(
        w * h,
        entries.stream().mapToInt(e -> e[0]).toArray(),
        entries.stream().mapToInt(e -> e[1]).toArray(),
        values.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
