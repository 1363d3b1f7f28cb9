package dev.emergence.reparam.problem;

import com.google.common.base.Preconditions;
import dev.emergence.reparam.graph.Graph;
import dev.emergence.reparam.graph.GraphSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The topological defects a phase field leaves on a graph: closed loops around which the phase
 * winds by a nonzero multiple of 2 pi. The winding of a loop is the sum, over its edges in order,
 * of the phase difference wrapped into [-pi, pi), divided by 2 pi (an integer).
 *
 * <ul>
 *   <li>On a grid ({@code grid2d}, {@code grid3d}) the loops are the plaquettes, the unit squares
 *       of four nodes; a 4-cycle winds by at most one turn, so {@link #count} is the number of
 *       vortices (2D: point vortices and antivortices; 3D: the plaquettes vortex lines pierce),
 *       reported as {@code vortices}.
 *   <li>On a random geometric graph ({@code rgg}, nodes in the unit square) the phase is sampled on
 *       a square grid of spacing R / 2 over the square, each grid point taking the phase of the
 *       node nearest to it, and the vortices are that grid's winding plaquettes, as on a grid
 *       ({@code vortices}): the graph itself has no faces, but its nodes lie in the plane.
 *   <li>On any other graph there are no faces to take: the loops are the fundamental cycles of the
 *       breadth-first spanning tree from node 0, one per edge off the tree, and the count is how
 *       many of them wind, reported as {@code winding_cycles}. It is zero exactly when the phase
 *       differences are those of a potential (no vortex, no twisted state, no winding anywhere),
 *       but a single vortex shows in every fundamental cycle around it, so it counts windings, not
 *       vortices.
 * </ul>
 */
final class Windings {
  private final String name;

  /**
   * Each loop's nodes in order (the last joined back to the first); empty for spanning-tree cycles.
   */
  private final List<int[]> plaquettes;

  private final Graph graph;

  /**
   * The node whose phase each sample point takes, or null: the plaquettes are of the graph's own
   * nodes.
   */
  private final int[] samples;

  private Windings(String name, List<int[]> plaquettes, Graph graph, int[] samples) {
    this.name = name;
    this.plaquettes = plaquettes;
    this.graph = graph;
    this.samples = samples;
  }

  /**
   * The loops of a loaded graph: plaquettes on a grid, else the spanning tree's fundamental cycles.
   */
  static Windings of(GraphSpec.Parsed spec, Graph graph) {
    return switch (spec.kind()) {
      case GRID2D ->
          new Windings("vortices", plaquettes(spec.sizes()[0], spec.sizes()[1], 1), graph, null);
      case GRID3D ->
          new Windings(
              "vortices",
              plaquettes(spec.sizes()[0], spec.sizes()[1], spec.sizes()[2]),
              graph,
              null);
      case RGG -> sampled(graph, spec.parameter() / 2);
      default -> cycles(graph);
    };
  }

  /** The fundamental cycles of the spanning tree of any connected graph. */
  static Windings cycles(Graph graph) {
    return new Windings("winding_cycles", List.of(), graph, null);
  }

  /**
   * The plaquettes of an m x m grid of spacing h over the unit square, each grid point sampling the
   * node nearest to it (found among the nodes bucketed into cells of side h, searching rings of
   * cells outward until the nearest is certain).
   */
  static Windings sampled(Graph graph, double h) {
    double[][] pos = graph.positions();
    Preconditions.checkArgument(
        pos != null && pos[0].length == 2, "sampled windings need 2-D positions");
    int m = (int) Math.floor(1 / h) + 1;
    List<List<Integer>> buckets = new ArrayList<>();
    for (int c = 0; c < m * m; c++) {
      buckets.add(new ArrayList<>());
    }
    for (int i = 0; i < pos.length; i++) {
      buckets.get(cell(pos[i][0], h, m) + m * cell(pos[i][1], h, m)).add(i);
    }
    int[] samples = new int[m * m];
    for (int gy = 0; gy < m; gy++) {
      for (int gx = 0; gx < m; gx++) {
        samples[gx + m * gy] = nearest(pos, buckets, m, h, gx, gy);
      }
    }
    return new Windings("vortices", plaquettes(m, m, 1), graph, samples);
  }

  private static int cell(double coordinate, double h, int m) {
    return Math.max(0, Math.min(m - 1, (int) Math.round(coordinate / h)));
  }

  /**
   * The node nearest to grid point (gx h, gy h): rings of buckets outward, one ring past the first
   * hit.
   */
  private static int nearest(
      double[][] pos, List<List<Integer>> buckets, int m, double h, int gx, int gy) {
    int best = -1;
    double bestD = Double.POSITIVE_INFINITY;
    for (int ring = 0; ring < m; ring++) {
      for (int by = gy - ring; by <= gy + ring; by++) {
        for (int bx = gx - ring; bx <= gx + ring; bx++) {
          boolean onRing = Math.abs(by - gy) == ring || Math.abs(bx - gx) == ring;
          if (!onRing || bx < 0 || by < 0 || bx >= m || by >= m) {
            continue;
          }
          for (int i : buckets.get(bx + m * by)) {
            double d = Math.hypot(pos[i][0] - gx * h, pos[i][1] - gy * h);
            if (d < bestD) {
              bestD = d;
              best = i;
            }
          }
        }
      }
      if (best >= 0 && bestD <= ring * h) { // every bucket beyond this ring is farther than ring h
        return best;
      }
    }
    return best;
  }

  /** What result.json calls the count: {@code vortices} or {@code winding_cycles}. */
  String name() {
    return name;
  }

  /** How many loops wind (a nonzero winding number) in the phase field theta. */
  int count(double[] theta) {
    Preconditions.checkArgument(
        theta.length == graph.nodes(), "%s phases for %s nodes", theta.length, graph.nodes());
    return plaquettes.isEmpty() ? windingCycles(theta) : windingPlaquettes(theta);
  }

  /** The winding number of one loop of nodes. */
  static int winding(double[] theta, int[] loop) {
    double sum = 0;
    for (int k = 0; k < loop.length; k++) {
      sum += wrap(theta[loop[(k + 1) % loop.length]] - theta[loop[k]]);
    }
    return (int) Math.round(sum / (2 * Math.PI));
  }

  /** An angle in [-pi, pi). */
  static double wrap(double angle) {
    return angle - 2 * Math.PI * Math.floor((angle + Math.PI) / (2 * Math.PI));
  }

  private int windingPlaquettes(double[] theta) {
    double[] field = theta;
    if (samples != null) {
      field = new double[samples.length];
      for (int k = 0; k < samples.length; k++) {
        field[k] = theta[samples[k]];
      }
    }
    int count = 0;
    for (int[] p : plaquettes) {
      count += winding(field, p) != 0 ? 1 : 0;
    }
    return count;
  }

  /**
   * Along the breadth-first tree from node 0 the unwrapped phase phi accumulates the wrapped
   * differences, so a tree path from u to v adds phi_v - phi_u; the cycle an off-tree edge (u, v)
   * closes winds by (wrap(theta_v - theta_u) + phi_u - phi_v) / 2 pi.
   */
  private int windingCycles(double[] theta) {
    Graph.Adjacency a = graph.adjacency();
    int n = graph.nodes();
    double[] phi = new double[n];
    int[] parent = new int[n];
    java.util.Arrays.fill(parent, -2);
    int[] queue = new int[n];
    int tail = 0;
    parent[0] = -1;
    phi[0] = theta[0];
    queue[tail++] = 0;
    for (int head = 0; head < tail; head++) {
      int i = queue[head];
      for (int e = a.start()[i]; e < a.start()[i + 1]; e++) {
        int j = a.neighbours()[e];
        if (parent[j] == -2) {
          parent[j] = i;
          phi[j] = phi[i] + wrap(theta[j] - theta[i]);
          queue[tail++] = j;
        }
      }
    }
    Preconditions.checkArgument(
        tail == n, "the graph is disconnected: %s of %s nodes reach node 0", tail, n);
    int count = 0;
    for (int k = 0; k < graph.edges(); k++) {
      int u = graph.from()[k];
      int v = graph.to()[k];
      if (parent[v] == u || parent[u] == v) {
        continue; // a tree edge (the graph has no repeated edges)
      }
      double turns = (wrap(theta[v] - theta[u]) + phi[u] - phi[v]) / (2 * Math.PI);
      count += Math.round(turns) != 0 ? 1 : 0;
    }
    return count;
  }

  /**
   * The plaquettes of a W x H x D lattice numbered x + W (y + H z), in the xy, xz and yz planes.
   */
  static List<int[]> plaquettes(int w, int h, int d) {
    List<int[]> loops = new ArrayList<>();
    int[][] planes = {{1, w}, {1, w * h}, {w, w * h}}; // strides of the two axes of each plane
    int[][] limits = {{1, 1, 0}, {1, 0, 1}, {0, 1, 1}}; // which of x, y, z each plane steps along
    for (int p = 0; p < 3; p++) {
      for (int z = 0; z < d; z++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            boolean fits =
                (limits[p][0] == 0 || x + 1 < w)
                    && (limits[p][1] == 0 || y + 1 < h)
                    && (limits[p][2] == 0 || z + 1 < d);
            if (!fits || (d == 1 && p > 0)) {
              continue;
            }
            int i = x + w * (y + h * z);
            loops.add(
                new int[] {i, i + planes[p][0], i + planes[p][0] + planes[p][1], i + planes[p][1]});
          }
        }
      }
    }
    return loops;
  }
}
