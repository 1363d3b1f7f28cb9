package dev.emergence.reparam;

import dev.emergence.reparam.graph.Graph;
import dev.emergence.reparam.method.HessianEstimator;
import dev.emergence.reparam.method.Reparametrization;
import dev.emergence.reparam.problem.Problems;

import dev.emergence.nn.SparseMatrix;
import dev.emergence.session.GraphSession;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * A graph problem: minimize an energy E(x) over a vector x of {@link #size()} variables. Both methods
 * of {@link Reparametrization} work against this interface alone; a new problem is one class
 * implementing it plus one line in {@link Problems}.
 */
public interface Problem {
  /** The name the registry knows it by, e.g. {@code heat}; result.json's {@code problem}. */
  String name();

  /** The graph the problem lives on. */
  Graph graph();

  /** The number of variables: the length of x. */
  int size();

  /** E(x) in plain doubles (the definition). */
  double energy(double[] x);

  /** E(x) as float64 graph ops over a float64 vector x of shape [size()]; a scalar. */
  Operand<TFloat64> energy(Ops tf, Operand<TFloat64> x);

  /** E(x) and its gradient dE/dx ([size()]) as graph ops. */
  record EnergyAndGradient(Operand<TFloat64> energy, Operand<TFloat64> gradient) {}

  /**
   * E(x) and dE/dx as graph ops. The default differentiates {@link #energy(Ops, Operand)}; a problem
   * with a cheaper form overrides it (heat: one sparse product gives both).
   */
  default EnergyAndGradient energyAndGradient(GraphSession session, Operand<TFloat64> x) {
    Operand<TFloat64> e = energy(session.tf(), x);
    @SuppressWarnings("unchecked")
    Operand<TFloat64> g = (Operand<TFloat64>) session.graph().addGradients(e.asOutput(), new Output<?>[] {x.asOutput()})[0];
    return new EnergyAndGradient(e, g);
  }

  /** A quadratic energy {@code E(x) = 1/2 x^T H x - b^T x + c} with H symmetric positive definite. */
  record Quadratic(SparseMatrix hessian, double[] b, double c) {}

  /** The quadratic form of E where E is quadratic (what conjugate gradients need), else empty. */
  default Optional<Quadratic> quadratic() {
    return Optional.empty();
  }

  /**
   * The constant x = t 1 of lowest energy where that is cheap to know (for a quadratic, t = b^T 1 /
   * 1^T H 1: for heat, the boundary's weighted mean temperature), else 0: where the GNN's output
   * starts, as the direct method starts from a point of that scale.
   */
  default double bestConstant() {
    return quadratic().map(q -> {
      double[] ones = new double[size()];
      Arrays.fill(ones, 1);
      double curvature = Arrays.stream(q.hessian().times(ones)).sum();
      return curvature > 0 ? Arrays.stream(q.b()).sum() / curvature : 0.0;
    }).orElse(0.0);
  }

  /**
   * The sparse [size(), size()] matrix the GNN's propagation is built from: the Hessian of E for a
   * quadratic problem (for another, the Hessian at a point of the problem's choosing).
   */
  SparseMatrix hessian();

  /** The exact optimum where it is known (implementations compute it once and keep it), else empty. */
  Optional<Optimum> optimum();

  /**
   * When a run has arrived: for a problem with a known optimum the relative gap to it at most {@code
   * tolerance} (the default); a problem without one overrides this with the energy value to reach.
   */
  default Target target(double tolerance) {
    Optimum optimum =
        optimum().orElseThrow(() -> new IllegalStateException(name() + " has no exact optimum, so it must give a target value"));
    return new Target.RelativeGap(optimum.energy(), tolerance);
  }

  /**
   * Whether {@link #optimum()}'s x is the only minimizer, so that the distance to it means something
   * ({@code max_abs_error}). True where an optimum is known (heat); false for Kuramoto (any common
   * rotation, any phase shifted by 2 pi, is as good).
   */
  default boolean optimumUnique() {
    return optimum().isPresent();
  }

  /**
   * Whether {@link #target} can answer: true with a known optimum; a problem without one says whether
   * it was given the value to reach.
   */
  default boolean hasTarget() {
    return optimum().isPresent();
  }

  /**
   * The same problem aiming at the energy value {@code value}: for a problem without an optimum whose
   * target was not given (the run finds one, from the direct method's best energy).
   */
  default Problem withTargetValue(double value) {
    throw new UnsupportedOperationException(name() + " takes no target value");
  }

  /**
   * A quantity fetched with the energy at every step that decides arrival instead of the energy's
   * target (Kuramoto with {@code --target-r}: the order parameter r, arrived when r >= 0.99), or null.
   */
  default Goal goal() {
    return null;
  }

  /** A quantity to raise to a threshold: arrived when {@code value(x) >= threshold()}. */
  interface Goal {
    /** Its name in result.json and TensorBoard, e.g. {@code order_parameter}. */
    String name();

    double threshold();

    /** The value at x in plain doubles. */
    double value(double[] x);

    /** The value as float64 graph ops over x [size()]; a scalar. */
    Operand<TFloat64> value(Ops tf, Operand<TFloat64> x);
  }

  /**
   * A quantity of x to follow along a run besides the energy (Kuramoto: the order parameter r), or
   * null. Runs record it at log-spaced iterations ({@link Trace#watchAt}) from x fetched there, so a
   * problem without one pays nothing.
   */
  default Watched watched() {
    return null;
  }

  /**
   * A quantity to follow: {@code key} its field in metrics.jsonl (e.g. {@code r}), {@code title} its
   * name in plots (the plot file is {@code title} with underscores, plus {@code _vs_time.png}), {@code
   * level} the value a plot marks with a dashed line (the target) or null, {@code value} in plain doubles.
   */
  record Watched(String key, String title, Double level, ToDoubleFunction<double[]> value) {}

  /** The 2-D points x places where its variables are point positions (homology), else null. */
  default double[][] points(double[] x) {
    return null;
  }

  /**
   * Where {@code --hessian estimated} takes the Hessian of the propagation (by {@link
   * HessianEstimator}): the point the analytic {@link #hessian()} describes. Zero by default (any point
   * for a quadratic energy).
   */
  default double[] hessianPoint() {
    return new double[size()];
  }

  /** The starting x of the direct method, seeded. */
  double[] initialPoint(long seed);

  /**
   * Whether the GNN method should optimize {@code x = initialPoint(seed) + GNN(Z)} rather than {@code
   * x = GNN(Z)} (its read-out starts at zero, so x starts at the offset). False by default (heat
   * starts the GNN at zero); true for a problem whose zero is an optimum or a singular point
   * (Kuramoto: all phases equal is the synchronized optimum; homology: all points in one place).
   */
  default boolean gnnStartsAtInitialPoint() {
    return false;
  }

  /** Writes x as the problem's solution file (heat: CSV {@code node,value,fixed} over every node). */
  void writeSolution(double[] x, Path file);

  /** Gershgorin's bound on the largest eigenvalue of {@link #hessian()}: the largest absolute row sum. */
  default double curvatureBound() {
    SparseMatrix h = hessian();
    double[] rows = new double[h.n()];
    for (int k = 0; k < h.nonzeros(); k++) {
      rows[h.rows()[k]] += Math.abs(h.values()[k]);
    }
    return Arrays.stream(rows).max().orElseThrow();
  }
}
