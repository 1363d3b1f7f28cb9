package dev.emergence.reparam.method;

import com.google.common.base.Preconditions;
import dev.emergence.nn.SparseMatrix;
import dev.emergence.reparam.Problem;
import dev.emergence.session.Feeds;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/**
 * A sparse Hessian from gradients alone, for losses without an analytic one. With a distance-2
 * colouring of the sparsity pattern (no two variables within two steps of each other share a
 * colour) the columns of one colour never overlap in a row, so one gradient difference along the
 * sum of a colour's unit vectors, {@code (g(x + h d) - g(x - h d)) / 2h = H d}, recovers every
 * entry of those columns: {@code H_ij = (H d_colour(j))_i}. A plain colouring (neighbours differ)
 * is not enough: two neighbours of i with one colour would add up in row i.
 *
 * <p>Cost: 2 gradients per colour; the greedy colouring uses at most max degree^2 + 1 colours (a 2D
 * grid: at most 17, in practice far fewer), whatever the size of the graph. Central differences are
 * exact for a quadratic energy up to rounding (about 1e-12 relative at the default step) and
 * accurate to O(h^2) otherwise (about 1e-7 relative for Kuramoto at h = 1e-3).
 */
public final class HessianEstimator {
  /** The default finite-difference step. */
  public static final double DEFAULT_STEP = 1e-3;

  private HessianEstimator() {}

  /**
   * A greedy distance-2 colouring of the pattern's graph (off-diagonal entries are edges, taken
   * symmetric), vertices in index order: colour[i] in 0..colours-1.
   */
  public static int[] distance2Colouring(SparseMatrix pattern) {
    int n = pattern.n();
    int[][] adjacent = adjacency(pattern);
    int[] colour = new int[n];
    Arrays.fill(colour, -1);
    // at most maxDegree^2 vertices lie within distance 2, so one of maxDegree^2 + 1 colours is free
    int[] stamp = new int[Math.max(1, maxDegree(adjacent) * maxDegree(adjacent) + 2)];
    for (int i = 0; i < n; i++) {
      Arrays.fill(stamp, 0);
      for (int j : adjacent[i]) {
        mark(stamp, colour[j]);
        for (int k : adjacent[j]) {
          if (k != i) {
            mark(stamp, colour[k]);
          }
        }
      }
      int c = 0;
      while (c < stamp.length && stamp[c] != 0) {
        c++;
      }
      colour[i] = c;
    }
    return colour;
  }

  private static void mark(int[] stamp, int colour) {
    if (colour >= 0 && colour < stamp.length) {
      stamp[colour] = 1;
    }
  }

  private static int maxDegree(int[][] adjacent) {
    int max = 0;
    for (int[] a : adjacent) {
      max = Math.max(max, a.length);
    }
    return max;
  }

  /** Symmetric adjacency lists of the pattern's off-diagonal entries, duplicates removed. */
  static int[][] adjacency(SparseMatrix pattern) {
    int n = pattern.n();
    java.util.List<java.util.Set<Integer>> sets = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      sets.add(new java.util.TreeSet<>());
    }
    for (int k = 0; k < pattern.nonzeros(); k++) {
      int i = pattern.rows()[k];
      int j = pattern.cols()[k];
      if (i != j) {
        sets.get(i).add(j);
        sets.get(j).add(i);
      }
    }
    int[][] adjacent = new int[n][];
    for (int i = 0; i < n; i++) {
      adjacent[i] = sets.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    return adjacent;
  }

  /** Whether no two vertices within distance 2 of each other in the pattern share a colour. */
  public static boolean isDistance2Colouring(SparseMatrix pattern, int[] colour) {
    int[][] adjacent = adjacency(pattern);
    for (int i = 0; i < adjacent.length; i++) {
      for (int j : adjacent[i]) {
        if (colour[j] == colour[i]) {
          return false;
        }
        for (int k : adjacent[j]) {
          if (k != i && colour[k] == colour[i]) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /**
   * The Hessian at x on the pattern's entries (same rows and columns, in the same order, the values
   * estimated) from a gradient function, with central differences of step {@code step}.
   */
  public static SparseMatrix estimate(
      SparseMatrix pattern, double[] x, UnaryOperator<double[]> gradient, double step) {
    int n = pattern.n();
    Preconditions.checkArgument(
        x.length == n, "x has %s values for a %sx%s pattern", x.length, n, n);
    Preconditions.checkArgument(
        step > 0 && Double.isFinite(step), "step must be positive, got %s", step);
    int[] colour = distance2Colouring(pattern);
    int colours = Arrays.stream(colour).max().orElse(-1) + 1;
    double[][] columns = new double[colours][]; // columns[c] = H d_c
    for (int c = 0; c < colours; c++) {
      double[] up = x.clone();
      double[] down = x.clone();
      for (int i = 0; i < n; i++) {
        if (colour[i] == c) {
          up[i] += step;
          down[i] -= step;
        }
      }
      double[] gUp = gradient.apply(up);
      double[] gDown = gradient.apply(down);
      double[] column = new double[n];
      for (int i = 0; i < n; i++) {
        column[i] = (gUp[i] - gDown[i]) / (2 * step);
      }
      columns[c] = column;
    }
    double[] values = new double[pattern.nonzeros()];
    for (int k = 0; k < values.length; k++) {
      values[k] = columns[colour[pattern.cols()[k]]][pattern.rows()[k]];
    }
    return new SparseMatrix(n, pattern.rows().clone(), pattern.cols().clone(), values);
  }

  /**
   * The Hessian of a problem's float64 energy op at x, on the pattern of {@link Problem#hessian()},
   * the gradients taken by TensorFlow ({@code addGradients}) in one graph built once.
   */
  public static SparseMatrix estimate(Problem problem, double[] x) {
    return estimate(problem, problem.hessian(), x, DEFAULT_STEP);
  }

  /** As {@link #estimate(Problem, double[])} on a given pattern and step. */
  public static SparseMatrix estimate(
      Problem problem, SparseMatrix pattern, double[] x, double step) {
    Preconditions.checkArgument(
        pattern.n() == problem.size(),
        "a %sx%s pattern for %s variables",
        pattern.n(),
        pattern.n(),
        problem.size());
    try (TfGradient gradient = new TfGradient(problem)) {
      return estimate(pattern, x, gradient, step);
    }
  }

  /** The gradient of a problem's float64 energy op, x fed per call. */
  public static final class TfGradient implements UnaryOperator<double[]>, AutoCloseable {
    private final GraphSession session;
    private final Placeholder<TFloat64> input;
    private final Operand<TFloat64> gradient;
    private final int size;

    @SuppressWarnings("unchecked")
    public TfGradient(Problem problem) {
      this.size = problem.size();
      this.session = new GraphSession(SessionConfig.cpu(1));
      Ops tf = session.tf();
      this.input = tf.placeholder(TFloat64.class);
      Operand<TFloat64> energy = problem.energy(tf, input);
      this.gradient =
          (Operand<TFloat64>)
              session.graph()
                  .addGradients(energy.asOutput(), new Output<?>[] {input.asOutput()})[0];
    }

    @Override
    public double[] apply(double[] x) {
      return session.run(Feeds.of().doubles(input, x, size), List.of(gradient)).doubles(gradient);
    }

    @Override
    public void close() {
      session.close();
    }
  }
}
