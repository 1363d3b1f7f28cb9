package dev.emergence.reparam.method;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.emergence.reparam.Problem;
import dev.emergence.reparam.Target;
import java.util.Locale;

/** The methods a run can choose, each with its implementation. */
public enum MethodKind {
  /** A first-order optimizer on x from the problem's initial point. */
  DIRECT(new DirectMethod(), true),
  /**
   * The two-stage method: x = GNN(Z) until its energy plateaus, then a fresh first-order optimizer
   * on x.
   */
  GNN(new TwoStageMethod(), true),
  /** L-BFGS on x from the problem's initial point. */
  LBFGS(new LbfgsMethod(), false),
  /** Conjugate gradients on a quadratic energy, from x = 0. */
  CG(new ConjugateGradientMethod(), false);

  // The Method implementations have no fields, so the constants hold no mutable state.
  @SuppressWarnings("ImmutableEnumChecker")
  private final Method method;

  private final boolean firstOrder;

  MethodKind(Method method, boolean firstOrder) {
    this.method = method;
    this.firstOrder = firstOrder;
  }

  /**
   * Whether the method steps a first-order optimizer at a learning rate (a benchmark searches its
   * rate).
   */
  public boolean firstOrder() {
    return firstOrder;
  }

  public MethodRun run(Problem problem, Target target, RunSettings settings) {
    return method.run(problem, target, settings);
  }

  /**
   * {@code direct}, {@code gnn}, {@code lbfgs} or {@code cg}: on the command line, in JSON and in
   * results.
   */
  @JsonValue
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
