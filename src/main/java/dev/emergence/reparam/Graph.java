package dev.emergence.reparam;

import com.google.common.base.Preconditions;

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
}
