package dev.emergence.reparam.method;

import dev.emergence.optim.Lbfgs;
import dev.emergence.reparam.Problem;
import dev.emergence.reparam.Target;
import dev.emergence.session.Feeds;
import dev.emergence.session.Fetched;
import dev.emergence.session.GraphSession;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/**
 * L-BFGS on x from the problem's initial point ({@link Lbfgs#minimize} with its defaults): energy
 * and gradient from one session run per evaluation, the two-loop recursion in plain Java.
 */
final class LbfgsMethod implements Method {
  @Override
  public MethodRun run(Problem problem, Target target, RunSettings s) {
    Progress progress = new Progress(problem, target, s.stopping());
    try (GraphSession session = DirectMethod.openSession(s)) {
      Ops tf = session.tf();
      int n = problem.size();
      Placeholder<TFloat64> in = tf.withName("x").placeholder(TFloat64.class);
      Problem.EnergyAndGradient eg = problem.energyAndGradient(session, in);
      List<Operand<TFloat64>> fetch = List.of(eg.energy(), eg.gradient());
      Lbfgs.Objective objective =
          (x, gradient) -> {
            Fetched f = session.run(Feeds.of().doubles(in, x, n), fetch);
            System.arraycopy(f.doubles(eg.gradient()), 0, gradient, 0, n);
            return f.scalarDouble(eg.energy());
          };
      double[] x = problem.initialPoint(s.seed());
      double setup = progress.seconds();
      PlainSteps steps = new PlainSteps(problem, progress);
      double e0 = problem.energy(x);
      steps.start(e0, x);
      if (progress.arrived(e0, x)) {
        steps.stop = Progress.Stop.reached(0, progress.seconds());
      } else {
        Lbfgs.Result r =
            Lbfgs.minimize(
                objective, x, Lbfgs.Config.defaults(), s.stopping().maxIterations(), steps::after);
        if (steps.stop == null) { // the line search found no decrease: as far as float64 goes
          steps.stop = Progress.Stop.of(Progress.Reason.MAX_ITERATIONS, r.iterations());
        }
      }
      return progress.finish(
          MethodKind.LBFGS, MethodKind.LBFGS.toString(), 0, null, x, steps.stop, null, setup);
    }
  }
}
