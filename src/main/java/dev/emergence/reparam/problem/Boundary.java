package dev.emergence.reparam.problem;

import com.google.common.base.Preconditions;
import dev.emergence.reparam.graph.Csv;
import java.nio.file.Path;
import java.util.List;

/**
 * The heat problem's Dirichlet boundary: {@code fixed[node]} says whether a node is held at {@code
 * values[node]}.
 */
// Arrays by design: per-node arrays indexed by node, read in numeric loops.
@SuppressWarnings("ArrayRecordComponent")
public record Boundary(boolean[] fixed, double[] values) {
  public Boundary {
    Preconditions.checkArgument(
        fixed.length == values.length, "%s fixed flags for %s values", fixed.length, values.length);
    for (int i = 0; i < values.length; i++) {
      Preconditions.checkArgument(
          Double.isFinite(values[i]), "boundary value of node %s is not finite", i);
    }
  }

  public int fixedCount() {
    int count = 0;
    for (boolean f : fixed) {
      count += f ? 1 : 0;
    }
    return count;
  }

  /**
   * The default heat boundary: nodes at the low end of the first coordinate held at 1, nodes at the
   * high end held at 0, all others free. {@code margin} is how close to either end counts (0 for a
   * lattice's first and last column, 0.05 for a random geometric graph in the unit square).
   */
  public static Boundary hotLeftColdRight(
      double[][] positions, double low, double high, double margin) {
    boolean[] fixed = new boolean[positions.length];
    double[] values = new double[positions.length];
    for (int i = 0; i < positions.length; i++) {
      double x = positions[i][0];
      if (x <= low + margin) {
        fixed[i] = true;
        values[i] = 1;
      } else if (x >= high - margin) {
        fixed[i] = true;
      }
    }
    return new Boundary(fixed, values);
  }

  /**
   * The heat boundary of a graph without geometry: the first {@code fraction} of the nodes (at
   * least one) held at 1, as many of the last held at 0, all others free.
   */
  public static Boundary firstAndLast(int nodes, double fraction) {
    int k = Math.max(1, (int) Math.round(fraction * nodes));
    Preconditions.checkArgument(
        2 * k < nodes, "%s nodes leave none free between %s hot and %s cold ones", nodes, k, k);
    boolean[] fixed = new boolean[nodes];
    double[] values = new double[nodes];
    for (int i = 0; i < k; i++) {
      fixed[i] = true;
      values[i] = 1;
      fixed[nodes - 1 - i] = true;
    }
    return new Boundary(fixed, values);
  }

  /** Reads CSV lines {@code node,value} (an optional header) for a graph of {@code nodes} nodes. */
  public static Boundary read(Path file, int nodes) {
    boolean[] fixed = new boolean[nodes];
    double[] values = new double[nodes];
    List<String[]> rows = Csv.rows(file, 2);
    for (int k = 0; k < rows.size(); k++) {
      String where = file + " row " + (k + 1);
      int node = Csv.parseInt(where, rows.get(k)[0]);
      Preconditions.checkArgument(
          node >= 0 && node < nodes,
          "%s: node %s is not in the graph (0..%s)",
          where,
          node,
          nodes - 1);
      Preconditions.checkArgument(!fixed[node], "%s: node %s is fixed twice", where, node);
      fixed[node] = true;
      values[node] = Csv.parseDouble(where, rows.get(k)[1]);
    }
    return new Boundary(fixed, values);
  }
}
