package dev.emergence.reparam.graph;

import com.google.common.base.Preconditions;
import java.util.Random;

/**
 * Quenched disorder on a graph's edges: every edge's weight (its conductance; its coupling in
 * Kuramoto) multiplied by a factor drawn log-uniformly over {@code [10^-K, 10^K)}, K the number of
 * decades each way. The factors come from {@code java.util.Random} seeded with the graph's seed XOR
 * {@link #STREAM}, one {@code nextDouble} per edge in edge order, so that the same spec and seed
 * give the same weights, and the draws are independent of those that placed or joined the nodes.
 */
public final class Disorder {
  /** Mixed into the graph's seed: "disorder" in ASCII. */
  static final long STREAM = 0x6469736f72646572L;

  /**
   * The most decades each way a spec may ask for (weights from 1e-8 to 1e8 keep float64 sums exact
   * enough).
   */
  public static final double MAX_DECADES = 8;

  private Disorder() {}

  /**
   * Checks K: positive, finite, at most {@link #MAX_DECADES}; {@code where} names the spec or
   * option.
   */
  public static void check(String where, double decades) {
    Preconditions.checkArgument(
        decades > 0 && decades <= MAX_DECADES,
        "%s: disorder must be in (0, %s] decades, got %s",
        where,
        MAX_DECADES,
        decades);
  }

  /** The graph with each weight w_k multiplied by 10^(K (2 u_k - 1)), u_k uniform in [0, 1). */
  public static Graph apply(Graph g, double decades, long seed) {
    check("disorder", decades);
    Random random = new Random(seed ^ STREAM);
    double[] w = new double[g.edges()];
    for (int k = 0; k < w.length; k++) {
      w[k] = g.weights()[k] * Math.pow(10, decades * (2 * random.nextDouble() - 1));
    }
    return g.withWeights(w);
  }
}
