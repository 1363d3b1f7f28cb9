package dev.emergence.reparam.problem;

import com.fasterxml.jackson.annotation.JsonValue;
import com.google.common.base.Preconditions;
import dev.emergence.nn.SparseMatrix;
import dev.emergence.reparam.Flag;
import dev.emergence.reparam.Optimum;
import dev.emergence.reparam.Problem;
import dev.emergence.reparam.ProblemSettings;
import dev.emergence.reparam.Target;
import dev.emergence.reparam.graph.Graph;
import dev.emergence.reparam.graph.GraphSpec;
import dev.emergence.report.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/**
 * Kuramoto synchronization with identical natural frequencies: minimize {@code E(theta) = - sum
 * over undirected edges A_ij cos(theta_i - theta_j)} over one phase per node (the dynamics are the
 * gradient flow of E). The minimum {@code E* = - sum A_ij} is reached when all phases agree; the
 * order parameter {@code r = |mean_j exp(i theta_j)|} is 1 there.
 *
 * <p>The Hessian {@code H_ii = sum_j A_ij cos(theta_i - theta_j)}, {@code H_ij = -A_ij cos(theta_i
 * - theta_j)} is indefinite at random phases, so the propagation comes from the Hessian at the
 * synchronized state, the coupling-weighted graph Laplacian ({@link HessianAt#SYNCHRONIZED}, the
 * default), or, as an option, from the Hessian at the initial phases made positive: weights {@code
 * A_ij |cos(theta_i - theta_j)|} ({@link HessianAt#INITIAL_ABS}, at the initial point of {@code
 * hessianSeed}).
 *
 * <p>The graph must be connected (a disconnected one has no single synchronized state reachable as
 * one cluster and its order parameter cannot reach 1 in general). The initial phases are seeded,
 * uniform in {@code [-spread/2, spread/2)} (by default 3 radians; 2 pi is the full circle). On
 * lattices such starts can hold vortices that unwind slowly; a spread below pi (all phases in an
 * open half circle) always synchronizes.
 */
public final class KuramotoProblem implements Problem {
  /** The order parameter the target asks for. */
  public static final double DEFAULT_ORDER_TARGET = 0.99;

  /** Where the Hessian of the propagation is taken. */
  public enum HessianAt {
    /** All phases equal: the coupling-weighted Laplacian (positive semi-definite). */
    SYNCHRONIZED,
    /** The initial phases, with weights A_ij |cos(theta_i - theta_j)| (positive semi-definite). */
    INITIAL_ABS;

    /** {@code synchronized} or {@code initial-abs}, on the command line and in JSON. */
    @JsonValue
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * Kuramoto's options.
   *
   * @param spread width of the interval the initial phases are drawn from, in (0, 2 pi]; not the
   *     full circle by default: on a 2D grid phases uniform on the full circle often hold vortices
   *     that unwind very slowly (see the README)
   * @param targetR when given, a run has arrived when the order parameter r reaches it (in (0, 1]),
   *     whatever the energy gap ({@link #goal()}); null: the relative energy gap decides
   */
  public record Settings(
      @Flag(
              name = "--hessian-at",
              description =
                  "The propagation's Hessian at the synchronized state (the coupling Laplacian) or at "
                      + "the initial phases with |cos| weights: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
          HessianAt hessianAt,
      @Flag(
              name = "--spread",
              description =
                  "Initial phases uniform in [-spread/2, spread/2), in (0, 2 pi] (default: ${DEFAULT-VALUE}; "
                      + "6.283 is the full circle).")
          double spread,
      @Flag(
              name = "--target-r",
              description =
                  "Arrived when the order parameter r reaches this (e.g. 0.99) instead of the energy gap "
                      + "--tolerance.")
          Double targetR)
      implements ProblemSettings {
    public static final Settings DEFAULTS = new Settings(HessianAt.SYNCHRONIZED, 3.0, null);

    public Settings {
      Preconditions.checkNotNull(hessianAt, "no Kuramoto Hessian point given");
      Preconditions.checkArgument(
          spread > 0 && spread <= 2 * Math.PI + 1e-12,
          "--spread must be in (0, 2 pi], got %s",
          spread);
      Preconditions.checkArgument(
          targetR == null || (targetR > 0 && targetR <= 1),
          "--target-r must be in (0, 1], got %s",
          targetR);
    }

    /**
     * Kuramoto on the graph of {@code spec} (its weights are the couplings A_ij); {@code seed} also
     * seeds the Hessian's initial point. On a grid the vortices are counted on its plaquettes.
     */
    @Override
    public KuramotoProblem create(String spec, long seed) {
      GraphSpec.Parsed parsed = GraphSpec.parse(spec);
      Graph graph = GraphSpec.load(parsed, seed).graph();
      return new KuramotoProblem(graph, this, seed, Windings.of(parsed, graph));
    }
  }

  private final Graph graph;
  private final Settings settings;
  private final long hessianSeed;
  private final double totalCoupling;
  private final Windings windings;

  /**
   * Kuramoto on a graph without grid structure (windings counted on its spanning tree's cycles).
   *
   * @param hessianSeed the seed of the initial point {@link HessianAt#INITIAL_ABS} takes its
   *     Hessian at
   */
  public KuramotoProblem(Graph graph, Settings settings, long hessianSeed) {
    this(graph, settings, hessianSeed, null);
  }

  private KuramotoProblem(Graph graph, Settings settings, long hessianSeed, Windings windings) {
    checkConnected(graph);
    this.graph = graph;
    this.settings = Preconditions.checkNotNull(settings, "no Kuramoto settings given");
    this.hessianSeed = hessianSeed;
    this.totalCoupling = Arrays.stream(graph.weights()).sum();
    this.windings = windings != null ? windings : Windings.cycles(graph);
  }

  private static void checkConnected(Graph g) {
    int[] unreached = g.unreachable(new int[] {0});
    if (unreached.length > 0) {
      throw new IllegalArgumentException(
          String.format(
              "the graph is disconnected: %d of %d nodes (first: node %d) cannot reach node 0; Kuramoto needs a connected graph",
              unreached.length, g.nodes(), unreached[0]));
    }
  }

  @Override
  public String name() {
    return "kuramoto";
  }

  @Override
  public Graph graph() {
    return graph;
  }

  /** One phase per node. */
  @Override
  public int size() {
    return graph.nodes();
  }

  public Settings settings() {
    return settings;
  }

  @Override
  public double energy(double[] theta) {
    checkLength(theta);
    double sum = 0;
    for (int k = 0; k < graph.edges(); k++) {
      sum += graph.weights()[k] * Math.cos(theta[graph.from()[k]] - theta[graph.to()[k]]);
    }
    return -sum;
  }

  /**
   * E as float64 ops: gather both ends of every edge, cos of the difference, weighted sum, negated.
   */
  @Override
  public Operand<TFloat64> energy(Ops tf, Operand<TFloat64> theta) {
    Operand<TInt32> axis = tf.constant(0);
    Operand<TFloat64> a = tf.gather(theta, tf.constant(graph.from()), axis); // [edges]
    Operand<TFloat64> b = tf.gather(theta, tf.constant(graph.to()), axis); // [edges]
    Operand<TFloat64> coupling =
        tf.math.mul(tf.constant(graph.weights()), tf.math.cos(tf.math.sub(a, b))); // [edges]
    return tf.math.neg(tf.reduceSum(coupling, axis)); // scalar
  }

  /** The gradient dE/dtheta_i = sum_j A_ij sin(theta_i - theta_j), in plain doubles. */
  public double[] gradient(double[] theta) {
    checkLength(theta);
    double[] g = new double[size()];
    for (int k = 0; k < graph.edges(); k++) {
      int i = graph.from()[k];
      int j = graph.to()[k];
      double s = graph.weights()[k] * Math.sin(theta[i] - theta[j]);
      g[i] += s;
      g[j] -= s;
    }
    return g;
  }

  /**
   * The exact Hessian of E at theta (indefinite in general): diagonal first, then both triangles
   * per edge.
   */
  public SparseMatrix hessianAt(double[] theta) {
    checkLength(theta);
    return laplacian(theta, false);
  }

  /**
   * The propagation's Hessian: the weighted Laplacian (synchronized) or the |cos| Laplacian at the
   * initial phases.
   */
  @Override
  public SparseMatrix hessian() {
    return settings.hessianAt() == HessianAt.SYNCHRONIZED
        ? laplacian(new double[size()], false)
        : laplacian(initialPoint(hessianSeed), true);
  }

  /**
   * Weights A_ij cos(d) (or A_ij |cos(d)|) as a Laplacian: H_ii = sum of the row's weights, H_ij =
   * -weight.
   */
  private SparseMatrix laplacian(double[] theta, boolean absolute) {
    double[] weights = new double[graph.edges()];
    for (int k = 0; k < weights.length; k++) {
      double c = Math.cos(theta[graph.from()[k]] - theta[graph.to()[k]]);
      weights[k] = graph.weights()[k] * (absolute ? Math.abs(c) : c);
    }
    return graph.laplacian(weights);
  }

  /** All phases 0 and E* = -sum A_ij (any common phase is as good: the optimum is a circle). */
  @Override
  public Optional<Optimum> optimum() {
    return Optional.of(new Optimum(-totalCoupling, Optional.empty()));
  }

  /**
   * Arrived when {@code (E - E*) / |E*|} is at most the tolerance. E* is negative, so the default
   * relative gap {@code (E - E*) / E*} would be negative (reached at once); this is the same
   * condition as an energy value to reach, {@code E* + tolerance |E*|}.
   */
  @Override
  public Optional<Target> target(double tolerance) {
    Preconditions.checkArgument(tolerance > 0, "tolerance must be positive, got %s", tolerance);
    return Optional.of(new Target.Value(-totalCoupling + tolerance * totalCoupling));
  }

  /** The relative energy gap (E - E*) / |E*| at theta: what the energy target measures. */
  public double relativeGap(double[] theta) {
    return (energy(theta) + totalCoupling) / totalCoupling;
  }

  /** The order parameter r = |mean exp(i theta)| in [0, 1]. */
  public static double orderParameter(double[] theta) {
    double c = 0;
    double s = 0;
    for (double t : theta) {
      c += Math.cos(t);
      s += Math.sin(t);
    }
    return Math.hypot(c, s) / theta.length;
  }

  /** The order parameter as float64 ops over theta [n]: a scalar. */
  public static Operand<TFloat64> orderParameter(Ops tf, Operand<TFloat64> theta) {
    Operand<TInt32> axis = tf.constant(0);
    Operand<TFloat64> c = tf.math.mean(tf.math.cos(theta), axis); // scalar
    Operand<TFloat64> s = tf.math.mean(tf.math.sin(theta), axis); // scalar
    return tf.math.sqrt(tf.math.add(tf.math.square(c), tf.math.square(s)));
  }

  /** Seeded phases uniform in [-spread/2, spread/2). */
  @Override
  public double[] initialPoint(long seed) {
    Random random = new Random(seed);
    double[] theta = new double[size()];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = (random.nextDouble() - 0.5) * settings.spread();
    }
    return theta;
  }

  /** With an order-parameter target: r, arrived when r >= the target. */
  @Override
  public Optional<Goal> goal() {
    if (settings.targetR() == null) {
      return Optional.empty();
    }
    double threshold = settings.targetR();
    return Optional.of(
        new Goal() {
          @Override
          public String name() {
            return "order_parameter";
          }

          @Override
          public double threshold() {
            return threshold;
          }

          @Override
          public double value(double[] theta) {
            return orderParameter(theta);
          }

          @Override
          public Operand<TFloat64> value(Ops tf, Operand<TFloat64> theta) {
            return orderParameter(tf, theta);
          }
        });
  }

  /**
   * The order parameter r, whatever decides arrival; the dashed level is the r target (0.99 without
   * one).
   */
  @Override
  public Optional<Watched> watched() {
    double level = settings.targetR() != null ? settings.targetR() : DEFAULT_ORDER_TARGET;
    return Optional.of(new Watched("r", "order parameter", level, KuramotoProblem::orderParameter));
  }

  /**
   * Synchronized: all phases 0; initial-abs: the initial phases of the Hessian's seed (the estimate
   * keeps signs).
   */
  @Override
  public double[] hessianPoint() {
    return settings.hessianAt() == HessianAt.SYNCHRONIZED
        ? new double[size()]
        : initialPoint(hessianSeed);
  }

  /**
   * The topological defects left in the phase field ({@link Windings}): on a grid {@code vortices},
   * the plaquettes the phase winds around; elsewhere {@code winding_cycles}, the spanning tree's
   * fundamental cycles it winds around.
   */
  @Override
  public java.util.Map<String, Double> measures(double[] theta) {
    return java.util.Map.of(windings.name(), (double) windings.count(theta));
  }

  /**
   * The GNN's x starts at the initial phases: at zero it would start synchronized, at the optimum.
   */
  @Override
  public Optional<double[]> gnnOrigin(long seed) {
    return Optional.of(initialPoint(seed));
  }

  /** CSV {@code node,phase,wrapped} with the phase wrapped into [-pi, pi), header first. */
  @Override
  public void writeSolution(double[] theta, Path file) {
    checkLength(theta);
    StringBuilder csv = new StringBuilder("node,phase,wrapped\n");
    for (int i = 0; i < theta.length; i++) {
      double wrapped = theta[i] - 2 * Math.PI * Math.floor((theta[i] + Math.PI) / (2 * Math.PI));
      csv.append(i).append(',').append(theta[i]).append(',').append(wrapped).append('\n');
    }
    AtomicFiles.write(file, csv.toString().getBytes(StandardCharsets.UTF_8));
  }

  private void checkLength(double[] theta) {
    Preconditions.checkArgument(
        theta.length == size(), "%s phases for %s nodes", theta.length, size());
  }
}
