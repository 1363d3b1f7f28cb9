package dev.emergence.reparam.method;

import com.google.common.base.Preconditions;
import dev.emergence.reparam.LinearSolve;
import dev.emergence.reparam.Problem;
import dev.emergence.reparam.Target;

/**
 * Jacobi-preconditioned conjugate gradients on H x = b for a quadratic energy, from x = 0, in plain
 * Java arrays.
 */
final class ConjugateGradientMethod implements Method {
  @Override
  public MethodRun run(Problem problem, Target target, RunSettings s) {
    Preconditions.checkArgument(
        problem.quadratic().isPresent(), "cg needs a quadratic energy; %s is not", problem.name());
    Progress progress = new Progress(problem, target, s.stopping());
    Problem.Quadratic q = problem.quadratic().orElseThrow();
    LinearSolve.Csr csr = LinearSolve.Csr.of(q.hessian());
    double setup = progress.seconds();
    PlainSteps steps = new PlainSteps(problem, progress);
    steps.start(q.c(), new double[problem.size()]);
    int cap = (int) Math.min(Integer.MAX_VALUE, s.stopping().maxIterations());
    // with r = b - H x: E = 1/2 x^T H x - b^T x + c = -1/2 x^T (b + r) + c, one dot product per
    // iteration
    LinearSolve.Solution solution =
        LinearSolve.conjugateGradients(
            csr,
            q.b(),
            0,
            cap,
            (it, x, r) -> {
              double sum = 0;
              for (int i = 0; i < x.length; i++) {
                sum += x[i] * (q.b()[i] + r[i]);
              }
              return steps.after(it, -0.5 * sum + q.c(), x);
            });
    if (steps.stop == null) {
      steps.stop = Progress.Stop.of(Progress.Reason.MAX_ITERATIONS, solution.iterations());
    }
    return progress.finish(
        MethodKind.CG, MethodKind.CG.toString(), 0, null, solution.x(), steps.stop, null, setup);
  }
}
