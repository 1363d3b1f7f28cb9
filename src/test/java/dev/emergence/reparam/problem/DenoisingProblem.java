package dev.emergence.reparam.problem;

import com.google.common.base.Preconditions;
import com.google.common.base.Suppliers;
import dev.emergence.nn.SparseMatrix;
import dev.emergence.reparam.Flag;
import dev.emergence.reparam.LinearSolve;
import dev.emergence.reparam.Optimum;
import dev.emergence.reparam.Problem;
import dev.emergence.reparam.ProblemSettings;
import dev.emergence.reparam.graph.Graph;
import dev.emergence.reparam.graph.GraphSpec;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * Denoising a signal on a graph: {@code E(x) = 1/2 sum over edges w_ij (x_i - x_j)^2 + fidelity/2
 * sum_i (x_i - y_i)^2} with y seeded noise in [0, 1), i.e. {@code 1/2 x^T H x - b^T x + c} with H =
 * L + fidelity I, b = fidelity y. The problem the README's "Adding a problem" walks through: one
 * class with its settings record, registered with one line ({@code AddedProblemTest}).
 */
public final class DenoisingProblem implements Problem {
  /** Its one option, on the command line as {@code --fidelity}. */
  public record Settings(
      @Flag(
              name = "--fidelity",
              description = "Weight of the data term (default: ${DEFAULT-VALUE}).")
          double fidelity)
      implements ProblemSettings {
    public static final Settings DEFAULTS = new Settings(0.1);

    public Settings {
      Preconditions.checkArgument(
          fidelity > 0 && Double.isFinite(fidelity),
          "--fidelity must be positive, got %s",
          fidelity);
    }

    @Override
    public DenoisingProblem create(String spec, long seed) {
      return new DenoisingProblem(GraphSpec.load(spec, seed).graph(), fidelity, seed);
    }
  }

  private final Graph graph;
  private final SparseMatrix hessian;
  private final double[] b;
  private final double c;
  private final Supplier<Optimum> optimum = Suppliers.memoize(this::solve);

  DenoisingProblem(Graph graph, double fidelity, long seed) {
    this.graph = graph;
    double[] y = new Random(seed).doubles(graph.nodes()).toArray();
    SparseMatrix l = graph.laplacian(graph.weights()); // its diagonal comes first
    double[] values = l.values().clone();
    for (int i = 0; i < graph.nodes(); i++) {
      values[i] += fidelity;
    }
    this.hessian = new SparseMatrix(graph.nodes(), l.rows(), l.cols(), values);
    this.b = Arrays.stream(y).map(v -> fidelity * v).toArray();
    this.c = fidelity / 2 * Arrays.stream(y).map(v -> v * v).sum();
  }

  @Override
  public String name() {
    return "denoising";
  }

  @Override
  public Graph graph() {
    return graph;
  }

  @Override
  public int size() {
    return graph.nodes();
  }

  @Override
  public double energy(double[] x) {
    double[] hx = hessian.times(x);
    double e = c;
    for (int i = 0; i < x.length; i++) {
      e += x[i] * (hx[i] / 2 - b[i]);
    }
    return e;
  }

  @Override
  public Operand<TFloat64> energy(Ops tf, Operand<TFloat64> x) {
    Operand<TFloat64> column = tf.reshape(x, tf.constant(new long[] {-1, 1})); // [n] -> [n, 1]
    Operand<TFloat64> hx =
        tf.reshape(
            hessian.inGraph(tf, TFloat64.class).matMul(column),
            tf.constant(new long[] {-1})); // [n]
    Operand<TFloat64> terms =
        tf.math.mul(x, tf.math.sub(tf.math.mul(tf.constant(0.5), hx), tf.constant(b))); // [n]
    return tf.math.add(tf.reduceSum(terms, tf.constant(0)), tf.constant(c));
  }

  @Override
  public SparseMatrix hessian() {
    return hessian;
  }

  @Override
  public double[] initialPoint(long seed) {
    return new Random(seed + 1).doubles(size()).toArray();
  }

  @Override
  public Optional<Optimum> optimum() {
    return Optional.of(optimum.get());
  }

  private Optimum solve() {
    double[] x = LinearSolve.exact(hessian, b);
    return new Optimum(energy(x), Optional.of(x));
  }

  @Override
  public Optional<Quadratic> quadratic() {
    return Optional.of(new Quadratic(hessian, b, c));
  }
}
