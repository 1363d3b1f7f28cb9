package dev.emergence.reparam;

import dev.emergence.nn.SparseMatrix;
import dev.emergence.reparam.graph.Graph;
import dev.emergence.report.AtomicFiles;
import dev.emergence.session.GraphSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * A graph problem: minimize an energy E(x) over a vector x of {@link #size()} variables. Every
 * method works against this interface alone.
 *
 * <p>The core: the energy in plain doubles and as graph ops (with its gradient), the sparse Hessian
 * the GNN's propagation is built from, a seeded initial point and the target. The optional
 * abilities are empty unless a problem has them: an exact optimum, a quadratic form (for conjugate
 * gradients), a goal that decides arrival, a quantity to watch, 2-D points for plots, an offset for
 * the GNN's x. A new problem is one class with its {@link ProblemSettings} record and one line in
 * {@code reparam.problem.Problems}.
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
   * E(x) and dE/dx as graph ops. The default differentiates {@link #energy(Ops, Operand)}; a
   * problem with a cheaper form overrides it (heat: one sparse product gives both).
   */
  default EnergyAndGradient energyAndGradient(GraphSession session, Operand<TFloat64> x) {
    Operand<TFloat64> e = energy(session.tf(), x);
    @SuppressWarnings("unchecked")
    Operand<TFloat64> g =
        (Operand<TFloat64>)
            session.graph().addGradients(e.asOutput(), new Output<?>[] {x.asOutput()})[0];
    return new EnergyAndGradient(e, g);
  }

  /**
   * The sparse [size(), size()] matrix the GNN's propagation is built from: the Hessian of E for a
   * quadratic problem (for another, the Hessian at a point of the problem's choosing, {@link
   * #hessianPoint()}).
   */
  SparseMatrix hessian();

  /** The seeded starting x of the methods on x. */
  double[] initialPoint(long seed);

  /**
   * When a run has arrived: by default the relative gap (E - E*) / E* to a known optimum at most
   * {@code tolerance}; empty when the problem knows nothing to aim at (a run then finds a value).
   */
  default Optional<Target> target(double tolerance) {
    return optimum().map(o -> new Target.RelativeGap(o.energy(), tolerance));
  }

  /** Writes x as the problem's solution file; by default CSV {@code variable,value}. */
  default void writeSolution(double[] x, Path file) {
    StringBuilder csv = new StringBuilder("variable,value\n");
    for (int i = 0; i < x.length; i++) {
      csv.append(i).append(',').append(x[i]).append('\n');
    }
    AtomicFiles.write(file, csv.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The exact optimum where it is known (implementations compute it once and keep it). */
  default Optional<Optimum> optimum() {
    return Optional.empty();
  }

  /**
   * A quadratic energy {@code E(x) = 1/2 x^T H x - b^T x + c} with H symmetric positive definite.
   */
  // Arrays by design: the vector b is a plain double[] for the numeric code.
  @SuppressWarnings("ArrayRecordComponent")
  record Quadratic(SparseMatrix hessian, double[] b, double c) {}

  /** The quadratic form of E where E is quadratic (what conjugate gradients need). */
  default Optional<Quadratic> quadratic() {
    return Optional.empty();
  }

  /**
   * A quantity fetched with the energy at every step that decides arrival instead of the energy's
   * target (Kuramoto with {@code --target-r}: the order parameter r, arrived when r >= 0.99).
   */
  default Optional<Goal> goal() {
    return Optional.empty();
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
   * A quantity of x to follow along a run besides the energy (Kuramoto: the order parameter r).
   * Runs record it at log-spaced iterations ({@link Trace#watchAt}) from x fetched there, so a
   * problem without one pays nothing.
   */
  default Optional<Watched> watched() {
    return Optional.empty();
  }

  /**
   * A quantity to follow: {@code key} its field in metrics.jsonl (e.g. {@code r}), {@code title}
   * its name in plots (the plot file is {@code title} with underscores, plus {@code _vs_time.png}),
   * {@code level} the value a plot marks with a dashed line (the target), {@code value} in plain
   * doubles.
   */
  record Watched(String key, String title, double level, ToDoubleFunction<double[]> value) {}

  /**
   * What result.json reports of a run's answer besides its energy, by name (Kuramoto: the vortices
   * left in the phase field); empty by default.
   */
  default java.util.Map<String, Double> measures(double[] x) {
    return java.util.Map.of();
  }

  /** The 2-D points x places where its variables are point positions (homology). */
  default Optional<double[][]> points(double[] x) {
    return Optional.empty();
  }

  /**
   * Where the GNN method's x starts when not at a point the GNN chooses: {@code x = origin +
   * GNN(Z)} (its read-out starts at zero, so x starts at the origin), for a problem whose zero is
   * an optimum or a singular point (Kuramoto: all phases equal is the synchronized optimum;
   * homology: all points in one place). Empty: x = GNN(Z) (heat).
   */
  default Optional<double[]> gnnOrigin(long seed) {
    return Optional.empty();
  }

  /**
   * Where {@code --hessian estimated} estimates the Hessian of the propagation: the point the
   * analytic {@link #hessian()} describes. Zero by default (any point for a quadratic energy).
   */
  default double[] hessianPoint() {
    return new double[size()];
  }
}
