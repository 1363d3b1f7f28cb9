package dev.emergence.reparam.method;

import dev.emergence.optim.Optimizer;
import dev.emergence.reparam.Problem;
import dev.emergence.reparam.Target;
import dev.emergence.session.Feeds;
import dev.emergence.session.GraphSession;
import java.util.List;
import java.util.Optional;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * A first-order optimizer on x from the problem's initial point, at the direct rate (a graph
 * constant: nothing is fed).
 */
final class DirectMethod implements Method {
  @Override
  public MethodRun run(Problem problem, Target target, RunSettings s) {
    Optional<Spectrum> spectrum =
        s.rates().optimizer().spectrum(problem); // kept with the problem; its seconds counted below
    Progress progress = new Progress(problem, target, s.stopping());
    spectrum.ifPresent(sp -> progress.charge(sp.seconds()));
    try (GraphSession session = openSession(s)) {
      Ops tf = session.tf();
      Variable<TFloat64> x = tf.withName("x").variable(tf.constant(problem.initialPoint(s.seed())));
      Step d =
          step(
              session,
              problem,
              x,
              s.rates().optimizer(),
              s.execution().fastStep(),
              tf.constant((float) s.rates().direct()));
      Operand<TFloat64> read = tf.identity(x);
      double setup = progress.seconds();
      Optional<Operand<TFloat64>> goal = StepLoop.goalOp(tf, problem, read);
      Progress.Stop stop =
          new StepLoop(
                  session,
                  d.energy(),
                  goal,
                  d.update(),
                  Optional.empty(),
                  Optional.empty(),
                  StepLoop.WatchedX.of(problem, read, true),
                  progress)
              .run(0);
      return progress.finish(
          MethodKind.DIRECT,
          s.rates().optimizer().label(),
          s.rates().direct(),
          null,
          fetch(session, read),
          stop,
          null,
          setup);
    }
  }

  /** The energy of x and one optimizer step on it. */
  record Step(Operand<TFloat64> energy, Op update) {}

  /**
   * The step of an optimizer on the variable x ({@link OptimizerKind#onX}): with the fast step, the
   * problem's own gradient applied by the optimizer's fused kernels; else the energy differentiated
   * through the graph.
   */
  static Step step(
      GraphSession session,
      Problem problem,
      Variable<TFloat64> x,
      OptimizerKind kind,
      boolean fast,
      Operand<TFloat32> lr) {
    Ops tf = session.tf();
    Optimizer optimizer = kind.onX(fast, problem);
    if (!fast) {
      Operand<TFloat64> energy = problem.energy(tf, tf.identity(x));
      return new Step(energy, optimizer.minimize(session, energy, List.of(x), lr));
    }
    Problem.EnergyAndGradient eg = problem.energyAndGradient(session, tf.identity(x));
    Op update =
        optimizer.apply(
            session,
            List.of(x),
            new Output<?>[] {eg.gradient().asOutput()},
            lr,
            TFloat64.class,
            List.of(eg.energy()));
    return new Step(eg.energy(), update);
  }

  /** A session with the run's threads and device, and its graph optimizer on or off. */
  static GraphSession openSession(RunSettings s) {
    return new GraphSession(s.execution().session());
  }

  /** The value of x. */
  static double[] fetch(GraphSession session, Operand<TFloat64> x) {
    return session.run(Feeds.of(), List.of(x)).doubles(x);
  }
}
