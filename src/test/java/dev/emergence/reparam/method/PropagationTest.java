package dev.emergence.reparam.method;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emergence.nn.SparseMatrix;
import org.junit.jupiter.api.Test;

class PropagationTest {
  /** The Hessian of a path 0 - 1 - 2 of free nodes, each end tied to one fixed node by weight 2. */
  private static final SparseMatrix H =
      new SparseMatrix(
          3,
          new int[] {0, 1, 2, 0, 1, 1, 2},
          new int[] {0, 1, 2, 1, 0, 2, 1},
          new double[] {3, 2, 3, -1, -1, -1, -1});

  @Test
  void gcnNormalizationIsDInvSqrtAPlusIDInvSqrt() {
    SparseMatrix p = Propagation.GCN.from(H);
    // A + I row sums: 2, 3, 2
    assertEquals(1 / 2.0, p.get(0, 0), 1e-15);
    assertEquals(1 / 3.0, p.get(1, 1), 1e-15);
    assertEquals(1 / Math.sqrt(6), p.get(0, 1), 1e-15);
    assertEquals(1 / Math.sqrt(6), p.get(2, 1), 1e-15);
    assertEquals(0, p.get(0, 2), 0);
  }

  @Test
  void hessianNormalizationKeepsSignsAndHasUnitDiagonal() {
    SparseMatrix p = Propagation.HESSIAN.from(H);
    assertEquals(1, p.get(1, 1), 1e-15);
    assertEquals(-1 / Math.sqrt(6), p.get(0, 1), 1e-15);
  }
}
