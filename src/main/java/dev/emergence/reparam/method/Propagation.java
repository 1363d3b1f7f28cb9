package dev.emergence.reparam.method;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.emergence.nn.SparseMatrix;
import java.util.Locale;

/**
 * Propagation matrices for the GNN, built once from a sparse Hessian H.
 *
 * <ul>
 *   <li>{@code GCN} (default): A = |off-diagonal of H| (the coupling weights), P = D^-1/2 (A + I)
 *       D^-1/2 with D the row sums of A + I, as in a GCN;
 *   <li>{@code HESSIAN}: P = D^-1/2 H D^-1/2 with D = diag(H), the symmetrically normalized Hessian
 *       itself (signs kept);
 *   <li>{@code ADJACENCY}: P = A + I without normalization.
 * </ul>
 */
public enum Propagation {
  GCN,
  HESSIAN,
  ADJACENCY;

  @JsonValue
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  public SparseMatrix from(SparseMatrix h) {
    int n = h.n();
    int[] rows = new int[h.nonzeros() + n];
    int[] cols = new int[h.nonzeros() + n];
    double[] values = new double[h.nonzeros() + n];
    int k = 0;
    double[] diagonal = new double[n];
    for (int e = 0; e < h.nonzeros(); e++) {
      if (h.rows()[e] == h.cols()[e]) {
        diagonal[h.rows()[e]] += h.values()[e];
        continue;
      }
      rows[k] = h.rows()[e];
      cols[k] = h.cols()[e];
      values[k++] = this == HESSIAN ? h.values()[e] : Math.abs(h.values()[e]);
    }
    for (int i = 0; i < n; i++) {
      rows[k] = i;
      cols[k] = i;
      values[k++] = this == HESSIAN ? diagonal[i] : 1;
    }
    double[] scale = new double[n];
    if (this == HESSIAN) {
      for (int i = 0; i < n; i++) {
        scale[i] = diagonal[i] > 0 ? 1 / Math.sqrt(diagonal[i]) : 1;
      }
    } else {
      double[] degree = new double[n];
      for (int e = 0; e < k; e++) {
        degree[rows[e]] += values[e];
      }
      for (int i = 0; i < n; i++) {
        scale[i] = this == GCN ? 1 / Math.sqrt(degree[i]) : 1;
      }
    }
    for (int e = 0; e < k; e++) {
      values[e] *= scale[rows[e]] * scale[cols[e]];
    }
    return new SparseMatrix(
        n,
        java.util.Arrays.copyOf(rows, k),
        java.util.Arrays.copyOf(cols, k),
        java.util.Arrays.copyOf(values, k));
  }
}
