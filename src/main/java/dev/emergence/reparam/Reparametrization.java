package dev.emergence.reparam;

import dev.emergence.nn.GnnReparametrization;
import dev.emergence.nn.SparseMatrix;
import dev.emergence.session.Feeds;
import dev.emergence.session.Fetched;
import dev.emergence.session.GraphSession;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * The two methods on a {@link Problem}: direct optimization of x from the problem's initial point,
 * and the two-stage method — optimize x = GNN(Z), with the propagation built from the problem's
 * sparse Hessian, until the energy plateaus, copy x into a plain variable, continue directly with a
 * fresh optimizer. Both run until the problem's {@link Target} (at the settings' tolerance). The GNN stage ends when the lowest energy seen fell by less than the plateau threshold
 * (relative) over the plateau window. Each step is one session run that updates and fetches the float64 energy of the
 * current x; nothing is fed per step.
 */
public final class Reparametrization {
  private Reparametrization() {}

  /** Direct optimization of x. The wall time excludes the exact solve (done before it starts). */
  public static MethodResult direct(Problem problem, RunSettings s) {
    Target target = problem.target(s.tolerance());
    long t0 = System.nanoTime();
    try (GraphSession session = new GraphSession(s.session())) {
      Ops tf = session.tf();
      Variable<TFloat64> x = tf.withName("x").variable(tf.constant(problem.initialPoint(s.seed())));
      Operand<TFloat64> energy = problem.energy(tf, tf.identity(x));
      Op step = s.optimizer().create().minimize(session, energy, List.of(x), tf.constant((float) s.directLr()));
      Operand<TFloat64> read = tf.identity(x);
      double setup = seconds(t0);
      Trace trace = new Trace();
      Loop loop = new Loop(session, energy, step, target, s, t0, trace);
      Stop stop = loop.run(0, false);
      return finish("direct", s, s.directLr(), null, problem, target, session, read, stop, null, setup, t0, trace);
    }
  }

  /**
   * The two-stage method. The wall time runs from before the propagation matrix and the graph are
   * built, and excludes the exact solve.
   */
  public static MethodResult gnn(Problem problem, RunSettings s) {
    Target target = problem.target(s.tolerance());
    long t0 = System.nanoTime();
    SparseMatrix propagation = s.propagation().from(problem.hessian());
    try (GraphSession session = new GraphSession(s.session())) {
      Ops tf = session.tf();
      Operand<TFloat64> xg;
      List<Variable<?>> weights;
      if (s.gnnFloat64()) {
        GnnReparametrization<TFloat64> net = new GnnReparametrization<>(tf, "gnn", s.gnn(), propagation, 1, TFloat64.class);
        xg = flatten(tf, net.output());
        weights = List.copyOf(net.variables());
      } else {
        GnnReparametrization<TFloat32> net = new GnnReparametrization<>(tf, "gnn", s.gnn(), propagation, 1, TFloat32.class);
        xg = tf.dtypes.cast(flatten(tf, net.output()), TFloat64.class); // [n] float32 -> float64
        weights = List.copyOf(net.variables());
      }
      // one float64 energy: fetched for the gap and differentiated (through a cast for a float32 GNN)
      Operand<TFloat64> gnnEnergy = problem.energy(tf, xg);
      Op gnnStep = s.gnnFloat64()
          ? s.optimizer().create().minimize(session, gnnEnergy, cast(weights), tf.constant((float) s.gnnLr()))
          : s.optimizer().create().minimize(
              session, tf.dtypes.cast(gnnEnergy, TFloat32.class), cast(weights), tf.constant((float) s.gnnLr()));
      Variable<TFloat64> x = tf.withName("x").variable(tf.zeros(tf.constant(new long[] {problem.size()}), TFloat64.class)); // [n]
      Op copy = tf.assign(x, xg);
      Operand<TFloat64> directEnergy = problem.energy(tf, tf.identity(x));
      Op directStep =
          s.optimizer().create().minimize(session, directEnergy, List.of(x), tf.constant((float) s.stage2Lr()));
      Operand<TFloat64> read = tf.identity(x);
      double setup = seconds(t0);
      Trace trace = new Trace();
      Stop first = new Loop(session, gnnEnergy, gnnStep, target, s, t0, trace).run(0, true);
      if (first.reason() != Reason.PLATEAU) {
        return finish("gnn", s, s.gnnLr(), s.stage2Lr(), problem, target, session, xg, first, null, setup, t0, trace);
      }
      session.run(copy);
      Stop second = new Loop(session, directEnergy, directStep, target, s, t0, trace).run(first.iterations(), false);
      return finish("gnn", s, s.gnnLr(), s.stage2Lr(), problem, target, session, read, second, first.iterations(), setup, t0, trace);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends TFloating> List<Variable<T>> cast(List<Variable<?>> variables) {
    return (List<Variable<T>>) (List<?>) variables;
  }

  private static <T extends TFloating> Operand<T> flatten(Ops tf, Operand<T> column) {
    return tf.reshape(column, tf.constant(new long[] {-1})); // [n, 1] -> [n]
  }

  private enum Reason {
    REACHED,
    PLATEAU,
    MAX_ITERATIONS,
    BUDGET_S,
    DIVERGED
  }

  private record Stop(Reason reason, long iterations, Long iterationsToTol, Double wallSToTol) {}

  /** Steps until the tolerance, the budget, divergence, or (for the GNN stage) a plateau. */
  private record Loop(
      GraphSession session, Operand<TFloat64> energy, Op step, Target target, RunSettings s, long t0, Trace trace) {
    Stop run(long startIteration, boolean stopAtPlateau) {
      List<Operand<TFloat64>> fetch = List.of(energy);
      int window = s.plateauWindow();
      double[] best = new double[window + 1]; // the lowest energy seen up to each recent step
      double lowest = Double.POSITIVE_INFINITY;
      double limit = Double.NaN;
      long it = startIteration;
      for (long local = 0; ; local++, it++) {
        Fetched f = session.run(Feeds.of(), fetch, step);
        double e = f.scalarDouble(energy);
        double wall = seconds(t0);
        double gap = target.gap(e);
        trace.add(it, wall, gap);
        if (target.reached(gap)) {
          return new Stop(Reason.REACHED, it, it, wall);
        }
        if (local == 0) {
          limit = 1e3 * Math.max(e, target.energy());
        }
        if (!Double.isFinite(e) || e > limit) {
          return new Stop(Reason.DIVERGED, it, null, null);
        }
        if (it + 1 >= s.maxIterations()) {
          return new Stop(Reason.MAX_ITERATIONS, it + 1, null, null);
        }
        if (wall > s.budgetS()) {
          return new Stop(Reason.BUDGET_S, it + 1, null, null);
        }
        lowest = Math.min(lowest, e);
        best[(int) (local % (window + 1))] = lowest;
        // the lowest energy, not the current one, so that an optimizer's oscillation is no plateau
        if (stopAtPlateau && local >= window) {
          double old = best[(int) ((local - window) % (window + 1))];
          if ((old - lowest) / Math.abs(lowest) < s.plateauThreshold()) {
            return new Stop(Reason.PLATEAU, it + 1, null, null);
          }
        }
      }
    }
  }

  private static MethodResult finish(
      String method,
      RunSettings s,
      double lr,
      Double stage2Lr,
      Problem problem,
      Target target,
      GraphSession session,
      Operand<TFloat64> x,
      Stop stop,
      Long switchIteration,
      double setup,
      long t0,
      Trace trace) {
    double wall = stop.wallSToTol() != null ? stop.wallSToTol() : seconds(t0);
    double[] answer = session.run(Feeds.of(), List.of(x)).doubles(x);
    Double maxError = problem.optimum().map(o -> maxAbsError(answer, o.x())).orElse(null);
    boolean diverged = stop.reason() == Reason.DIVERGED || Arrays.stream(answer).anyMatch(v -> !Double.isFinite(v));
    return new MethodResult(
        method,
        s.optimizer().label(),
        lr,
        stage2Lr,
        stop.reason() == Reason.REACHED,
        stop.iterationsToTol(),
        stop.wallSToTol(),
        target.gap(problem.energy(answer)),
        stop.iterations(),
        wall,
        setup,
        switchIteration,
        maxError,
        diverged,
        diverged ? "diverged" : stop.reason().name().toLowerCase(java.util.Locale.ROOT),
        answer,
        trace);
  }

  private static double maxAbsError(double[] x, double[] exact) {
    double max = 0;
    for (int i = 0; i < x.length; i++) {
      max = Math.max(max, Math.abs(x[i] - exact[i]));
    }
    return max;
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
