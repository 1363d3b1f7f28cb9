package dev.emergence.reparam.method;

import dev.emergence.nn.GnnReparametrization;
import dev.emergence.nn.SparseMatrix;
import dev.emergence.optim.Optimizer;
import dev.emergence.reparam.Problem;
import dev.emergence.reparam.Target;
import dev.emergence.session.Feeds;
import dev.emergence.session.GraphSession;
import dev.emergence.session.OpProfile;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * The two-stage method: optimize x = GNN(Z), with the propagation built from the problem's sparse
 * Hessian, until the energy plateaus; copy x (the last, or the best seen) into a plain variable;
 * continue directly with a fresh first-order optimizer (the stage-2 optimizer, its rate decaying as
 * the settings say). Both stages live in one graph, built before the first step, so the switch is
 * one {@code assign}.
 */
public final class TwoStageMethod implements Method {
  TwoStageMethod() {}

  @Override
  public MethodRun run(Problem problem, Target target, RunSettings s) {
    Optional<Spectrum> spectrum =
        s.rates().stage2Optimizer().spectrum(problem); // the second stage's rates; counted below
    Progress progress = new Progress(problem, target, s.stopping());
    spectrum.ifPresent(sp -> progress.charge(sp.seconds()));
    try (GraphSession session = DirectMethod.openSession(s)) {
      Graph g = build(session, problem, s);
      double setup = progress.seconds();
      // the GNN stage's x is computed, not a variable the step updates: fetched with the step
      StepLoop.FedRate gnnRate = new StepLoop.FedRate(g.gnnLr(), s.rates().gnn(), s.gnn().decay());
      Progress.Stop first =
          new StepLoop(
                  session,
                  g.gnnEnergy(),
                  g.gnnGoal(),
                  g.gnnStep(),
                  Optional.of(gnnRate),
                  Optional.of(s.gnn().plateau()),
                  StepLoop.WatchedX.of(problem, g.xg(), false),
                  progress)
              .run(0);
      if (first.reason() != Progress.Reason.PLATEAU) {
        return finish(progress, s, DirectMethod.fetch(session, g.xg()), first, null, setup);
      }
      session.run(g.copy());
      StepLoop.FedRate stage2Rate =
          new StepLoop.FedRate(
              g.stage2Lr(),
              s.rates().stage2(),
              s.rates().stage2Optimizer().stage2Decay(s.stage2()));
      Progress.Stop second =
          new StepLoop(
                  session,
                  g.stage2().energy(),
                  g.stage2Goal(),
                  g.stage2().update(),
                  Optional.of(stage2Rate),
                  Optional.empty(),
                  StepLoop.WatchedX.of(problem, g.read(), true),
                  progress)
              .run(first.iterations());
      return finish(
          progress, s, DirectMethod.fetch(session, g.read()), second, first.iterations(), setup);
    }
  }

  private static MethodRun finish(
      Progress progress,
      RunSettings s,
      double[] answer,
      Progress.Stop stop,
      Long switchIteration,
      double setup) {
    return progress.finish(
        MethodKind.GNN,
        s.rates().optimizer().label(),
        s.rates().gnn(),
        s.rates().stage2(),
        answer,
        stop,
        switchIteration,
        setup);
  }

  /**
   * Where the time of one GNN-stage step goes: {@code warmup} untimed steps, then {@code steps}
   * traced ones (RunOptions FULL_TRACE; tracing adds overhead) summed per op type and per op.
   */
  public static OpProfile profileGnnStep(Problem problem, RunSettings s, int warmup, int steps) {
    try (GraphSession session = DirectMethod.openSession(s)) {
      Graph g = build(session, problem, s);
      for (int i = 0; i < warmup; i++) {
        session.run(
            Feeds.of().scalar(g.gnnLr(), (float) s.rates().gnn()),
            List.of(g.gnnEnergy()),
            g.gnnStep());
      }
      Op fetchAndStep =
          session.tf().withControlDependencies(List.of(g.gnnEnergy(), g.gnnStep())).noOp();
      return session.profile(
          () -> Feeds.of().scalar(g.gnnLr(), (float) s.rates().gnn()), steps, fetchAndStep);
    }
  }

  /** The method's graph: the GNN stage's energy and step, the copy into x, the second stage's. */
  private record Graph(
      Operand<TFloat64> gnnEnergy,
      Op gnnStep,
      Placeholder<TFloat32> gnnLr,
      Operand<TFloat64> xg,
      Op copy,
      DirectMethod.Step stage2,
      Placeholder<TFloat32> stage2Lr,
      Operand<TFloat64> read,
      Optional<Operand<TFloat64>> gnnGoal,
      Optional<Operand<TFloat64>> stage2Goal) {}

  /**
   * The sparse matrix the propagation is built from: the problem's {@link Problem#hessian()}, or
   * estimated by {@link HessianEstimator} on its pattern at {@link Problem#hessianPoint()} (inside
   * the method's timed set-up).
   */
  static SparseMatrix propagationHessian(Problem problem, GnnStage stage) {
    return stage.hessian() == GnnStage.HessianSource.ESTIMATED
        ? HessianEstimator.estimate(problem, problem.hessianPoint())
        : problem.hessian();
  }

  /**
   * The constant x = t 1 of lowest energy where that is cheap to know (for a quadratic, t = b^T 1 /
   * 1^T H 1: for heat, the boundary's weighted mean temperature), else 0: where the GNN's output
   * starts, as the direct method starts from a point of that scale.
   */
  static double bestConstant(Problem problem) {
    return problem
        .quadratic()
        .map(
            q -> {
              double[] ones = new double[problem.size()];
              Arrays.fill(ones, 1);
              double curvature = Arrays.stream(q.hessian().times(ones)).sum();
              return curvature > 0 ? Arrays.stream(q.b()).sum() / curvature : 0.0;
            })
        .orElse(0.0);
  }

  /**
   * D^-1/2 (D the Hessian's diagonal), by which jacobi scales the GNN's output; empty for the other
   * optimizers.
   */
  static Optional<double[]> jacobiScale(Problem problem, OptimizerKind kind) {
    return kind == OptimizerKind.JACOBI
        ? Optional.of(
            Arrays.stream(Spectrum.diagonal(problem.hessian()))
                .map(v -> 1 / Math.sqrt(v))
                .toArray())
        : Optional.empty();
  }

  private static Graph build(GraphSession session, Problem problem, RunSettings s) {
    Ops tf = session.tf();
    GnnStage stage = s.gnn();
    boolean fast = s.execution().fastStep();
    SparseMatrix propagation = stage.propagation().from(propagationHessian(problem, stage));
    // x = origin + GNN(Z) for a problem whose zero is an optimum or singular (the read-out starts
    // at zero,
    // its bias at 0); else x = GNN(Z) with the bias at the best constant (heat) or 0
    Optional<double[]> origin = problem.gnnOrigin(s.seed());
    double start =
        origin.isEmpty() && stage.start() == GnnStage.Start.BEST_CONSTANT
            ? bestConstant(problem)
            : 0;
    // jacobi: the GNN's output is y = D^1/2 (x - x0), x = x0 + D^-1/2 y, the constant start moved
    // into x0
    Optional<double[]> scale = jacobiScale(problem, s.rates().optimizer());
    if (scale.isPresent() && origin.isEmpty()) {
      double[] constant = new double[problem.size()];
      Arrays.fill(constant, start);
      origin = Optional.of(constant);
      start = 0;
    }
    Operand<TFloat64> x0 = origin.map(tf::constant).orElse(null); // [n]
    Operand<TFloat64> d = scale.map(tf::constant).orElse(null); // [n]
    Operand<TFloat64> xg;
    Operand<TFloat64> gnnEnergy;
    Op gnnStep;
    Placeholder<TFloat32> gnnLr = tf.withName("gnn_lr").placeholder(TFloat32.class);
    Best best = null;
    if (stage.float64()) {
      GnnReparametrization<TFloat64> net =
          new GnnReparametrization<>(
              tf, "gnn", stage.net(), propagation, 1, TFloat64.class, fast, start);
      xg = flatten(tf, net.output());
      xg = d != null ? tf.math.mul(d, xg) : xg;
      xg = x0 != null ? tf.math.add(x0, xg) : xg;
      Optimizer optimizer = s.rates().optimizer().create(fast);
      if (fast) {
        Problem.EnergyAndGradient eg = problem.energyAndGradient(session, xg);
        gnnEnergy = eg.energy();
        best =
            stage.handover() == GnnStage.Handover.BEST
                ? Best.track(tf, problem.size(), xg, gnnEnergy)
                : null;
        Output<?>[] grads =
            backprop(
                session,
                net.output(),
                tf.reshape(eg.gradient(), tf.constant(new long[] {-1, 1})),
                net.variables());
        gnnStep =
            optimizer.apply(
                session,
                net.variables(),
                grads,
                gnnLr,
                TFloat64.class,
                Best.readFirst(best, gnnEnergy));
      } else {
        gnnEnergy = problem.energy(tf, xg);
        gnnStep = optimizer.minimize(session, gnnEnergy, net.variables(), gnnLr);
      }
    } else {
      GnnReparametrization<TFloat32> net =
          new GnnReparametrization<>(
              tf, "gnn", stage.net(), propagation, 1, TFloat32.class, fast, start);
      xg = tf.dtypes.cast(flatten(tf, net.output()), TFloat64.class); // [n] float32 -> float64
      xg = d != null ? tf.math.mul(d, xg) : xg;
      xg =
          x0 != null
              ? tf.math.add(x0, xg)
              : xg; // the offset in float64: only the GNN's change is float32
      Optimizer optimizer = s.rates().optimizer().create(fast);
      if (fast) {
        // the float64 gradient dE/dx, seeded as float32 at the GNN's output: one backward pass, no
        // energy graph to differentiate
        Problem.EnergyAndGradient eg = problem.energyAndGradient(session, xg);
        gnnEnergy = eg.energy();
        best =
            stage.handover() == GnnStage.Handover.BEST
                ? Best.track(tf, problem.size(), xg, gnnEnergy)
                : null;
        Operand<TFloat32> seed =
            tf.dtypes.cast(
                tf.reshape(eg.gradient(), tf.constant(new long[] {-1, 1})),
                TFloat32.class); // [n, 1]
        Output<?>[] grads = backprop(session, net.output(), seed, net.variables());
        gnnStep =
            optimizer.apply(
                session,
                net.variables(),
                grads,
                gnnLr,
                TFloat32.class,
                Best.readFirst(best, gnnEnergy));
      } else {
        gnnEnergy = problem.energy(tf, xg);
        gnnStep =
            optimizer.minimize(
                session, tf.dtypes.cast(gnnEnergy, TFloat32.class), net.variables(), gnnLr);
      }
    }
    Variable<TFloat64> x =
        tf.withName("x")
            .variable(tf.zeros(tf.constant(new long[] {problem.size()}), TFloat64.class)); // [n]
    Op copy =
        tf.assign(x, best == null ? xg : tf.identity(best.x())); // the last x, or the best seen
    Placeholder<TFloat32> stage2Lr = tf.withName("stage2_lr").placeholder(TFloat32.class);
    DirectMethod.Step stage2 =
        DirectMethod.step(session, problem, x, s.rates().stage2Optimizer(), fast, stage2Lr);
    Operand<TFloat64> read = tf.identity(x);
    return new Graph(
        gnnEnergy,
        gnnStep,
        gnnLr,
        xg,
        copy,
        stage2,
        stage2Lr,
        read,
        StepLoop.goalOp(tf, problem, xg),
        StepLoop.goalOp(tf, problem, read));
  }

  /**
   * The GNN stage's best x so far, kept inside each step before its update: x_best = x when the
   * step's energy is below the lowest seen (a select and two assigns on [n] per step).
   */
  private record Best(Variable<TFloat64> x, Assign<TFloat64> xAssign, Assign<TFloat64> eAssign) {
    static Best track(Ops tf, int n, Operand<TFloat64> xg, Operand<TFloat64> energy) {
      Variable<TFloat64> x =
          tf.withName("x_best")
              .variable(tf.zeros(tf.constant(new long[] {n}), TFloat64.class)); // [n]
      Variable<TFloat64> e = tf.withName("e_best").variable(tf.constant(Double.POSITIVE_INFINITY));
      Operand<TFloat64> lowest = tf.identity(e);
      Operand<TBool> better = tf.math.less(energy, lowest);
      var xAssign = tf.assign(x, tf.select(better, xg, tf.identity(x)));
      // after x's assign, so that its comparison read the old lowest energy
      var eAssign =
          tf.withControlDependencies(List.of(xAssign)).assign(e, tf.math.minimum(energy, lowest));
      return new Best(x, xAssign, eAssign);
    }

    /** What the GNN update must wait for: the energy of x before it, and the best-x bookkeeping. */
    static List<Operand<?>> readFirst(Best best, Operand<TFloat64> energy) {
      return best == null ? List.of(energy) : List.of(energy, best.xAssign(), best.eAssign());
    }
  }

  private static <T extends TFloating> Output<?>[] backprop(
      GraphSession session, Operand<T> output, Operand<T> seed, List<Variable<T>> variables) {
    Output<?>[] xs = variables.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
    return session
        .graph()
        .addGradients(
            "gnn_backprop",
            new Output<?>[] {output.asOutput()},
            xs,
            new Output<?>[] {seed.asOutput()});
  }

  private static <T extends TFloating> Operand<T> flatten(Ops tf, Operand<T> column) {
    return tf.reshape(column, tf.constant(new long[] {-1})); // [n, 1] -> [n]
  }
}
