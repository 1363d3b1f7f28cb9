package dev.emergence.reparam.graph;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Random graphs without geometry, seeded, unit weights, edges listed by (lower node, higher node):
 * random regular and Erdos-Renyi graphs. Each is reduced to its largest connected component (the
 * lowest-numbered one of equal size), its nodes renumbered in their old order; a random regular
 * graph of degree 3 or more is connected with high probability, so this rarely removes anything
 * there, while an Erdos-Renyi graph near its connectivity threshold (mean degree about ln N)
 * typically loses a few isolated nodes.
 */
public final class RandomGraphs {
  private RandomGraphs() {}

  /**
   * A random d-regular graph on n nodes: stubs paired one random pair at a time, a pair that would
   * make a self-loop or a second edge between the same nodes drawn again (Steger and Wormald's
   * method, close to uniform for small d), the whole pairing restarted in the rare case that no
   * allowed pair is left.
   */
  public static Graph randomRegular(int n, int d, long seed) {
    Preconditions.checkArgument(
        d >= 1 && d < n, "a random regular graph needs 1 <= d < n, got d = %s, n = %s", d, n);
    Preconditions.checkArgument(
        (long) n * d % 2 == 0, "a random regular graph needs n d even, got n = %s, d = %s", n, d);
    Random random = new Random(seed);
    while (true) {
      long[] edges = pairStubs(n, d, random);
      if (edges != null) {
        return largestComponent(toGraph(n, edges));
      }
    }
  }

  /** One attempt at pairing the stubs; null when it got stuck (no allowed pair left). */
  private static long[] pairStubs(int n, int d, Random random) {
    int[] stubs = new int[n * d];
    for (int i = 0; i < stubs.length; i++) {
      stubs[i] = i / d;
    }
    Set<Long> edges = new HashSet<>();
    int remaining = stubs.length;
    while (remaining > 0) {
      int failures = 0;
      while (true) {
        int a = random.nextInt(remaining);
        int b = random.nextInt(remaining);
        long key = key(stubs[a], stubs[b]);
        if (a != b && stubs[a] != stubs[b] && !edges.contains(key)) {
          edges.add(key);
          // remove both stubs, the higher index first, by moving the last ones into their places
          int high = Math.max(a, b);
          int low = Math.min(a, b);
          stubs[high] = stubs[--remaining];
          stubs[low] = stubs[--remaining];
          break;
        }
        if (++failures > 1000 && !anyAllowedPair(stubs, remaining, edges)) {
          return null;
        }
      }
    }
    long[] sorted = edges.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    return sorted;
  }

  private static boolean anyAllowedPair(int[] stubs, int remaining, Set<Long> edges) {
    for (int a = 0; a < remaining; a++) {
      for (int b = a + 1; b < remaining; b++) {
        if (stubs[a] != stubs[b] && !edges.contains(key(stubs[a], stubs[b]))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * An Erdos-Renyi graph G(n, p) with p = c / (n - 1), so that the mean degree is c: every pair
   * joined independently, drawn by skipping geometrically distributed gaps between the pairs that
   * are (Batagelj and Brandes), in time linear in n plus the edges.
   */
  public static Graph erdosRenyi(int n, double c, long seed) {
    Preconditions.checkArgument(
        c > 0 && c < n - 1,
        "an Erdos-Renyi graph needs 0 < c < n - 1, got c = %s, n = %s",
        (Double) c,
        (Integer) n);
    double p = c / (n - 1);
    Random random = new Random(seed);
    double logQ = Math.log1p(-p);
    List<Long> edges = new ArrayList<>();
    // pairs (w, v) with w < v, in the order v = 1, 2, ..., w = 0..v-1
    long v = 1;
    long w = -1;
    while (v < n) {
      w += 1 + (long) Math.floor(Math.log1p(-random.nextDouble()) / logQ);
      while (w >= v && v < n) {
        w -= v;
        v++;
      }
      if (v < n) {
        edges.add(key((int) w, (int) v));
      }
    }
    long[] sorted = edges.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    Preconditions.checkArgument(
        sorted.length > 0,
        "er:%s:%s drew no edges; use a larger mean degree",
        (Integer) n,
        (Double) c);
    return largestComponent(toGraph(n, sorted));
  }

  /**
   * The largest connected component (of equal ones, the one with the lowest node), renumbered in
   * node order.
   */
  public static Graph largestComponent(Graph g) {
    int[] label = g.components();
    int count = Arrays.stream(label).max().orElse(0) + 1;
    int[] size = new int[count];
    for (int l : label) {
      size[l]++;
    }
    int biggest = 0;
    for (int c = 1; c < count; c++) {
      biggest = size[c] > size[biggest] ? c : biggest;
    }
    if (count == 1) {
      return g;
    }
    boolean[] keep = new boolean[g.nodes()];
    for (int i = 0; i < keep.length; i++) {
      keep[i] = label[i] == biggest;
    }
    return g.induced(keep);
  }

  /**
   * An undirected edge as one long, lower node in the high half: sorting orders by (lower, higher).
   */
  private static long key(int a, int b) {
    return ((long) Math.min(a, b) << 32) | Math.max(a, b);
  }

  private static Graph toGraph(int n, long[] edges) {
    int[] from = new int[edges.length];
    int[] to = new int[edges.length];
    double[] w = new double[edges.length];
    for (int k = 0; k < edges.length; k++) {
      from[k] = (int) (edges[k] >>> 32);
      to[k] = (int) edges[k];
      w[k] = 1;
    }
    return new Graph(n, from, to, w, null);
  }
}
