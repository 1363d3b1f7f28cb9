package dev.emergence.reparam.graph;

import com.google.common.base.Preconditions;
import dev.emergence.nn.SparseMatrix;

/**
 * An undirected weighted graph: edge k joins {@code from[k]} and {@code to[k]} with weight {@code
 * weights[k]} (each undirected edge once). {@code positions[node]} holds coordinates where the graph
 * has them (grids, random geometric graphs), or is null (graphs read from files).
 */
public record Graph(int nodes, int[] from, int[] to, double[] weights, double[][] positions) {
  public Graph {
    Preconditions.checkArgument(nodes > 0, "the graph is empty: it has no nodes");
    Preconditions.checkArgument(from.length > 0, "the graph is empty: it has no edges");
    Preconditions.checkArgument(
        from.length == to.length && to.length == weights.length,
        "from, to and weights must have one length, got %s, %s, %s",
        from.length,
        to.length,
        weights.length);
    Preconditions.checkArgument(
        positions == null || positions.length == nodes,
        "%s positions for %s nodes",
        positions == null ? 0 : positions.length,
        nodes);
    for (int k = 0; k < from.length; k++) {
      int i = from[k];
      int j = to[k];
      Preconditions.checkArgument(
          i >= 0 && i < nodes && j >= 0 && j < nodes,
          "edge %s (%s, %s) names a node outside 0..%s",
          k,
          i,
          j,
          nodes - 1);
      Preconditions.checkArgument(i != j, "edge %s is a self-loop at node %s", k, i);
      Preconditions.checkArgument(
          weights[k] > 0 && Double.isFinite(weights[k]),
          "edge %s (%s, %s) has weight %s; weights must be positive and finite",
          k,
          i,
          j,
          weights[k]);
    }
  }

  public int edges() {
    return from.length;
  }

  /**
   * The Laplacian of this graph with the given weight per edge: {@code L_ii} = the sum of the weights
   * at node i, {@code L_ij = -w_ij}. Diagonal entries first, then both entries of each edge.
   */
  public SparseMatrix laplacian(double[] edgeWeights) {
    Preconditions.checkArgument(
        edgeWeights.length == edges(), "%s edge weights for %s edges", edgeWeights.length, edges());
    int n = nodes;
    int m = edges();
    int[] rows = new int[n + 2 * m];
    int[] cols = new int[n + 2 * m];
    double[] values = new double[n + 2 * m];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
      cols[i] = i;
    }
    for (int k = 0; k < m; k++) {
      int i = from[k];
      int j = to[k];
      double w = edgeWeights[k];
      values[i] += w;
      values[j] += w;
      int e = n + 2 * k;
      rows[e] = i;
      cols[e] = j;
      values[e] = -w;
      rows[e + 1] = j;
      cols[e + 1] = i;
      values[e + 1] = -w;
    }
    return new SparseMatrix(n, rows, cols, values);
  }
}
