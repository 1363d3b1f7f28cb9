package dev.emergence.reparam;

import dev.emergence.nn.SparseMatrix;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.tensorflow.Operand;
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
