package dev.emergence.reparam.graph;

import com.google.common.base.Preconditions;
import dev.emergence.nn.SparseMatrix;

/**
 * An undirected weighted graph: edge k joins {@code from[k]} and {@code to[k]} with weight {@code
 * weights[k]} (each undirected edge once). {@code positions[node]} holds coordinates where the
 * graph has them (grids, random geometric graphs), or is null (graphs read from files).
 */
// Arrays by design: edge and coordinate arrays feed tensors and numeric loops; no boxing.
@SuppressWarnings("ArrayRecordComponent")
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
   * The neighbours of every node in compressed rows: node i's are {@code neighbours[start[i] ..
   * start[i + 1])}, in edge order, each once per edge.
   */
  // Arrays by design: compressed-row index arrays for fast neighbour loops.
  @SuppressWarnings("ArrayRecordComponent")
  public record Adjacency(int[] start, int[] neighbours) {}

  public Adjacency adjacency() {
    int[] start = new int[nodes + 1];
    for (int k = 0; k < from.length; k++) {
      start[from[k] + 1]++;
      start[to[k] + 1]++;
    }
    for (int i = 0; i < nodes; i++) {
      start[i + 1] += start[i];
    }
    int[] fill = java.util.Arrays.copyOf(start, nodes);
    int[] neighbours = new int[start[nodes]];
    for (int k = 0; k < from.length; k++) {
      neighbours[fill[from[k]]++] = to[k];
      neighbours[fill[to[k]]++] = from[k];
    }
    return new Adjacency(start, neighbours);
  }

  /** The nodes that cannot be reached from any of {@code sources}, ascending. */
  public int[] unreachable(int[] sources) {
    int[] label = new int[nodes];
    java.util.Arrays.fill(label, -1);
    int[] queue = new int[nodes];
    int tail = 0;
    for (int s : sources) {
      if (label[s] < 0) {
        label[s] = 0;
        queue[tail++] = s;
      }
    }
    spread(adjacency(), label, queue, tail);
    return java.util.stream.IntStream.range(0, nodes).filter(i -> label[i] < 0).toArray();
  }

  /**
   * The connected component of every node, numbered 0, 1, ... in the order of each one's lowest
   * node.
   */
  public int[] components() {
    Adjacency a = adjacency();
    int[] label = new int[nodes];
    java.util.Arrays.fill(label, -1);
    int[] queue = new int[nodes];
    int count = 0;
    for (int root = 0; root < nodes; root++) {
      if (label[root] < 0) {
        label[root] = count++;
        queue[0] = root;
        spread(a, label, queue, 1);
      }
    }
    return label;
  }

  /**
   * Breadth first from the {@code tail} queued nodes: every unlabelled (-1) node reached takes its
   * finder's label.
   */
  private static void spread(Adjacency a, int[] label, int[] queue, int tail) {
    for (int head = 0; head < tail; head++) {
      int i = queue[head];
      for (int e = a.start()[i]; e < a.start()[i + 1]; e++) {
        int j = a.neighbours()[e];
        if (label[j] < 0) {
          label[j] = label[i];
          queue[tail++] = j;
        }
      }
    }
  }

  /**
   * The subgraph on the nodes where {@code keep} is true, renumbered 0, 1, ... in their old order,
   * with every edge between two kept nodes (weights and positions kept).
   */
  public Graph induced(boolean[] keep) {
    Preconditions.checkArgument(keep.length == nodes, "%s flags for %s nodes", keep.length, nodes);
    int[] index = new int[nodes];
    int kept = 0;
    for (int i = 0; i < nodes; i++) {
      index[i] = keep[i] ? kept++ : -1;
    }
    int m = 0;
    for (int k = 0; k < from.length; k++) {
      m += keep[from[k]] && keep[to[k]] ? 1 : 0;
    }
    int[] f = new int[m];
    int[] t = new int[m];
    double[] w = new double[m];
    for (int k = 0, e = 0; k < from.length; k++) {
      if (keep[from[k]] && keep[to[k]]) {
        f[e] = index[from[k]];
        t[e] = index[to[k]];
        w[e++] = weights[k];
      }
    }
    double[][] pos = null;
    if (positions != null) {
      pos = new double[kept][];
      for (int i = 0; i < nodes; i++) {
        if (keep[i]) {
          pos[index[i]] = positions[i];
        }
      }
    }
    return new Graph(kept, f, t, w, pos);
  }

  /** The same edges and positions with other weights. */
  public Graph withWeights(double[] edgeWeights) {
    Preconditions.checkArgument(
        edgeWeights.length == edges(), "%s edge weights for %s edges", edgeWeights.length, edges());
    return new Graph(nodes, from, to, edgeWeights, positions);
  }

  /**
   * The Laplacian of this graph with the given weight per edge: {@code L_ii} = the sum of the
   * weights at node i, {@code L_ij = -w_ij}. Diagonal entries first, then both entries of each
   * edge.
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
