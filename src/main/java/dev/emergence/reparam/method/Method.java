package dev.emergence.reparam.method;

import dev.emergence.reparam.Problem;
import dev.emergence.reparam.Target;

/**
 * One way to minimize a problem's energy, run until the target, a budget or divergence ({@link
 * Progress}). Wall times run from before anything the method builds (Hessian, propagation, graph,
 * session) and exclude finding the target (an exact solve, a probe run).
 */
public interface Method {
  MethodRun run(Problem problem, Target target, RunSettings settings);
}
