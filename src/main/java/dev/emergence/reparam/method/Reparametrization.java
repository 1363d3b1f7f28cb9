package dev.emergence.reparam.method;

import dev.emergence.reparam.LinearSolve;
import dev.emergence.reparam.Problem;
import dev.emergence.reparam.Target;
import dev.emergence.reparam.Trace;

import com.google.common.base.Preconditions;
import dev.emergence.nn.GnnReparametrization;
import dev.emergence.nn.SparseMatrix;
import dev.emergence.optim.Lbfgs;
import dev.emergence.optim.Optimizer;
import dev.emergence.session.Feeds;
import dev.emergence.session.Fetched;
import dev.emergence.session.GraphSession;
import dev.emergence.session.OpProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
 * The methods on a {@link Problem}:
 *
 * <ul>
 *   <li>{@code direct}: a first-order optimizer on x from the problem's initial point;
 *   <li>{@code gnn}: the two-stage method — optimize x = GNN(Z), with the propagation built from the
 *       problem's sparse Hessian, until the energy plateaus, copy x into a plain variable, continue
 *       directly with a fresh first-order optimizer (the stage-2 optimizer, its rate optionally
 *       halving every {@code stage2HalfLife} iterations);
 *   <li>{@code lbfgs}: L-BFGS on x from the same initial point (energy and gradient from one session
 *       run per evaluation; the two-loop recursion in plain Java);
 *   <li>{@code cg}: for a quadratic energy, Jacobi-preconditioned conjugate gradients on H x = b from
 *       x = 0, in plain Java arrays.
 * </ul>
 *
 * All run until the problem's {@link Target} (at the settings' tolerance), the iteration budget or the
 * wall-clock budget. The GNN stage ends when the lowest energy seen fell by less than the plateau
 * threshold (relative) over the plateau window. Each first-order step is one session run that
 * updates and fetches the float64 energy of the current x. Wall times run from before anything the
 * method builds (Hessian, propagation, graph, session) and exclude the exact solve.
 */
public final class Reparametrization {
  private Reparametrization() {}

  /** Direct first-order optimization of x. */
  public static MethodResult direct(Problem problem, RunSettings s) {
    return direct(problem, s, problem.target(s.tolerance()));
  }

  /**
   * Direct first-order optimization of x against a given target ({@link Target.None}: to the budget,
   * the trace holding the energies).
   */
  public static MethodResult direct(Problem problem, RunSettings s, Target target) {
    long t0 = System.nanoTime();
    try (GraphSession session = openSession(s)) {
      Ops tf = session.tf();
      Variable<TFloat64> x = tf.withName("x").variable(tf.constant(problem.initialPoint(s.seed())));
      Direct d = directStep(session, problem, x, s.optimizer(), s.fastStep(), tf.constant((float) s.directLr()));
      Operand<TFloat64> read = tf.identity(x);
      double setup = seconds(t0);
      Trace trace = new Trace();
      Operand<TFloat64> goal = goalOp(tf, problem, read);
      WatchedX watching = WatchedX.of(problem, read, true);
      Stop stop = new Loop(session, d.energy(), goal, goalThreshold(problem), d.step(), null, null, target, s, t0, trace, watching).run(0, false);
      return finish("direct", s, s.directLr(), null, problem, target, session, read, stop, null, setup, t0, trace);
    }
  }

  private record Direct(Operand<TFloat64> energy, Op step) {}

  /** The energy of x and one optimizer step on it. */
  private static Direct directStep(
      GraphSession session, Problem problem, Variable<TFloat64> x, OptimizerKind kind, boolean fast, Operand<TFloat32> lr) {
    Ops tf = session.tf();
    Optimizer optimizer = kind.create(fast);
    if (!fast) {
      Operand<TFloat64> energy = problem.energy(tf, tf.identity(x));
      return new Direct(energy, optimizer.minimize(session, energy, List.of(x), lr));
    }
    Problem.EnergyAndGradient eg = problem.energyAndGradient(session, tf.identity(x));
    Op step = optimizer.apply(session, List.of(x), new Output<?>[] {eg.gradient().asOutput()}, lr, TFloat64.class, List.of(eg.energy()));
    return new Direct(eg.energy(), step);
  }

  /** The GNN method's graph: the GNN stage's energy and step, the copy into x, the direct stage's. */
  private record GnnGraph(
      Operand<TFloat64> gnnEnergy, Op gnnStep, Placeholder<TFloat32> gnnLr, Operand<TFloat64> xg, Op copy, Direct stage2,
      Placeholder<TFloat32> stage2Lr, Operand<TFloat64> read, Operand<TFloat64> gnnGoal, Operand<TFloat64> stage2Goal) {}

  /** A session with the run's threads and device, and its graph optimizer on or off. */
  private static GraphSession openSession(RunSettings s) {
    return new GraphSession(s.session().withGraphOptimizer(s.graphOptimizer()));
  }

  private static double goalThreshold(Problem problem) {
    return problem.goal() == null ? Double.NaN : problem.goal().threshold();
  }

  /**
   * The energy above which a run counts as diverged, from its first energy e: {@code e + 1e3 max(|e|,
   * |target energy|)} (works for negative energies: Kuramoto, homology's push); none when both are 0.
   */
  static double divergenceLimit(double e, Target target) {
    double scale = Math.max(Math.abs(e), Math.abs(target.energy()));
    return scale > 0 ? e + 1e3 * scale : Double.POSITIVE_INFINITY;
  }

  /** The problem's goal over x as graph ops, or null. */
  private static Operand<TFloat64> goalOp(Ops tf, Problem problem, Operand<TFloat64> x) {
    Problem.Goal goal = problem.goal();
    return goal == null ? null : goal.value(tf, x);
  }

  /**
   * The sparse matrix the propagation is built from: the problem's {@link Problem#hessian()}, or with
   * {@code hessian = estimated} the {@link HessianEstimator}'s estimate on its pattern at {@link
   * Problem#hessianPoint()} (inside the GNN method's timed set-up).
   */
  static SparseMatrix propagationHessian(Problem problem, RunSettings s) {
    return s.hessian().equals("estimated") ? HessianEstimator.estimate(problem, problem.hessianPoint()) : problem.hessian();
  }

  private static GnnGraph buildGnn(GraphSession session, Problem problem, RunSettings s) {
    Ops tf = session.tf();
    SparseMatrix propagation = s.propagation().from(propagationHessian(problem, s));
    // x = x0 + GNN(Z) for a problem whose zero is an optimum or singular (the read-out starts at zero, its
    // bias at 0); else x = GNN(Z) with the bias at the best constant (heat) or 0
    boolean offset = problem.gnnStartsAtInitialPoint();
    double start = !offset && s.gnnStart().equals("best_constant") ? problem.bestConstant() : 0;
    Operand<TFloat64> x0 = offset ? tf.constant(problem.initialPoint(s.seed())) : null; // [n]
    Operand<TFloat64> xg;
    Operand<TFloat64> gnnEnergy;
    Op gnnStep;
    Placeholder<TFloat32> gnnLr = tf.withName("gnn_lr").placeholder(TFloat32.class);
    Best best = null;
    if (s.gnnFloat64()) {
      GnnReparametrization<TFloat64> net =
          new GnnReparametrization<>(tf, "gnn", s.gnn(), propagation, 1, TFloat64.class, s.fastStep(), start);
      xg = flatten(tf, net.output());
      xg = offset ? tf.math.add(x0, xg) : xg;
      Optimizer optimizer = s.optimizer().create(s.fastStep());
      if (s.fastStep()) {
        Problem.EnergyAndGradient eg = problem.energyAndGradient(session, xg);
        gnnEnergy = eg.energy();
        best = s.handover().equals("best") ? Best.track(tf, problem.size(), xg, gnnEnergy) : null;
        Output<?>[] grads = backprop(session, net.output(), tf.reshape(eg.gradient(), tf.constant(new long[] {-1, 1})), net.variables());
        gnnStep = optimizer.apply(session, net.variables(), grads, gnnLr, TFloat64.class, Best.readFirst(best, gnnEnergy));
      } else {
        gnnEnergy = problem.energy(tf, xg);
        gnnStep = optimizer.minimize(session, gnnEnergy, net.variables(), gnnLr);
      }
    } else {
      GnnReparametrization<TFloat32> net =
          new GnnReparametrization<>(tf, "gnn", s.gnn(), propagation, 1, TFloat32.class, s.fastStep(), start);
      xg = tf.dtypes.cast(flatten(tf, net.output()), TFloat64.class); // [n] float32 -> float64
      xg = offset ? tf.math.add(x0, xg) : xg; // the offset in float64: only the GNN's change is float32
      Optimizer optimizer = s.optimizer().create(s.fastStep());
      if (s.fastStep()) {
        // the float64 gradient dE/dx, seeded as float32 at the GNN's output: one backward pass, no energy graph to differentiate
        Problem.EnergyAndGradient eg = problem.energyAndGradient(session, xg);
        gnnEnergy = eg.energy();
        best = s.handover().equals("best") ? Best.track(tf, problem.size(), xg, gnnEnergy) : null;
        Operand<TFloat32> seed = tf.dtypes.cast(tf.reshape(eg.gradient(), tf.constant(new long[] {-1, 1})), TFloat32.class); // [n, 1]
        Output<?>[] grads = backprop(session, net.output(), seed, net.variables());
        gnnStep = optimizer.apply(session, net.variables(), grads, gnnLr, TFloat32.class, Best.readFirst(best, gnnEnergy));
      } else {
        gnnEnergy = problem.energy(tf, xg);
        gnnStep = optimizer.minimize(session, tf.dtypes.cast(gnnEnergy, TFloat32.class), net.variables(), gnnLr);
      }
    }
    Variable<TFloat64> x = tf.withName("x").variable(tf.zeros(tf.constant(new long[] {problem.size()}), TFloat64.class)); // [n]
    Op copy = tf.assign(x, best == null ? xg : tf.identity(best.x())); // the last x, or the best seen
    Placeholder<TFloat32> stage2Lr = tf.withName("stage2_lr").placeholder(TFloat32.class);
    Direct stage2 = directStep(session, problem, x, s.stage2Optimizer(), s.fastStep(), stage2Lr);
    Operand<TFloat64> read = tf.identity(x);
    return new GnnGraph(gnnEnergy, gnnStep, gnnLr, xg, copy, stage2, stage2Lr, read, goalOp(tf, problem, xg), goalOp(tf, problem, read));
  }

  /**
   * The GNN stage's best x so far, kept inside each step before its update: x_best = x when the step's
   * energy is below the lowest seen (a select and two assigns on [n] per step).
   */
  private record Best(Variable<TFloat64> x, Assign<TFloat64> xAssign, Assign<TFloat64> eAssign) {
    static Best track(Ops tf, int n, Operand<TFloat64> xg, Operand<TFloat64> energy) {
      Variable<TFloat64> x = tf.withName("x_best").variable(tf.zeros(tf.constant(new long[] {n}), TFloat64.class)); // [n]
      Variable<TFloat64> e = tf.withName("e_best").variable(tf.constant(Double.POSITIVE_INFINITY));
      Operand<TFloat64> lowest = tf.identity(e);
      Operand<TBool> better = tf.math.less(energy, lowest);
      var xAssign = tf.assign(x, tf.select(better, xg, tf.identity(x)));
      // after x's assign, so that its comparison read the old lowest energy
      var eAssign = tf.withControlDependencies(List.of(xAssign)).assign(e, tf.math.minimum(energy, lowest));
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
    return session.graph().addGradients("gnn_backprop", new Output<?>[] {output.asOutput()}, xs, new Output<?>[] {seed.asOutput()});
  }

  /** The two-stage method. */
  public static MethodResult gnn(Problem problem, RunSettings s) {
    Target target = problem.target(s.tolerance());
    long t0 = System.nanoTime();
    try (GraphSession session = openSession(s)) {
      GnnGraph g = buildGnn(session, problem, s);
      double setup = seconds(t0);
      Trace trace = new Trace();
      // the GNN stage's x is computed, not a variable the step updates: fetched with the step
      WatchedX gnnWatched = WatchedX.of(problem, g.xg(), false);
      Stop first = new Loop(session, g.gnnEnergy(), g.gnnGoal(), goalThreshold(problem), g.gnnStep(), g.gnnLr(), s, target, s, t0, trace, gnnWatched)
          .run(0, true);
      if (first.reason() != Reason.PLATEAU) {
        return finish("gnn", s, s.gnnLr(), s.stage2Lr(), problem, target, session, g.xg(), first, null, setup, t0, trace);
      }
      session.run(g.copy());
      WatchedX stage2Watched = WatchedX.of(problem, g.read(), true);
      Stop second = new Loop(session, g.stage2().energy(), g.stage2Goal(), goalThreshold(problem), g.stage2().step(), g.stage2Lr(), s, target, s, t0, trace,
          stage2Watched).run(first.iterations(), false);
      return finish("gnn", s, s.gnnLr(), s.stage2Lr(), problem, target, session, g.read(), second, first.iterations(), setup, t0, trace);
    }
  }

  /**
   * Where the time of one GNN-stage step goes: {@code warmup} untimed steps, then {@code steps} traced
   * ones (RunOptions FULL_TRACE; tracing adds overhead) summed per op type and per op.
   */
  public static OpProfile profileGnnStep(Problem problem, RunSettings s, int warmup, int steps) {
    try (GraphSession session = openSession(s)) {
      GnnGraph g = buildGnn(session, problem, s);
      for (int i = 0; i < warmup; i++) {
        session.run(Feeds.of().scalar(g.gnnLr(), (float) s.gnnLr()), List.of(g.gnnEnergy()), g.gnnStep());
      }
      Op fetchAndStep = session.tf().withControlDependencies(List.of(g.gnnEnergy(), g.gnnStep())).noOp();
      return session.profile(() -> Feeds.of().scalar(g.gnnLr(), (float) s.gnnLr()), steps, fetchAndStep);
    }
  }

  /** L-BFGS on x from the problem's initial point. */
  public static MethodResult lbfgs(Problem problem, RunSettings s) {
    Target target = problem.target(s.tolerance());
    long t0 = System.nanoTime();
    try (GraphSession session = openSession(s)) {
      Ops tf = session.tf();
      int n = problem.size();
      Placeholder<TFloat64> in = tf.withName("x").placeholder(TFloat64.class);
      Problem.EnergyAndGradient eg = problem.energyAndGradient(session, in);
      List<Operand<TFloat64>> fetch = List.of(eg.energy(), eg.gradient());
      Lbfgs.Objective objective = (x, gradient) -> {
        Fetched f = session.run(Feeds.of().doubles(in, x, n), fetch);
        System.arraycopy(f.doubles(eg.gradient()), 0, gradient, 0, n);
        return f.scalarDouble(eg.energy());
      };
      double[] x = problem.initialPoint(s.seed());
      double setup = seconds(t0);
      Trace trace = new Trace();
      Watch watch = new Watch(target, problem, s, t0, trace);
      double e0 = problem.energy(x);
      trace.add(0, seconds(t0), target.gap(e0), watch.watchedValue(0, x));
      watch.limit = divergenceLimit(e0, target);
      if (watch.arrived(e0, x)) {
        watch.stop = new Stop(Reason.REACHED, 0, 0L, seconds(t0));
      } else {
        Lbfgs.Result r = Lbfgs.minimize(objective, x, Lbfgs.Config.defaults(), s.maxIterations(), (it, e, point) -> watch.after(it, e, point));
        if (watch.stop == null) { // the line search found no decrease: as far as float64 goes
          watch.stop = new Stop(Reason.MAX_ITERATIONS, r.iterations(), null, null);
        }
      }
      return finish("lbfgs", s, 0, null, problem, target, x, watch.stop, null, setup, t0, trace);
    }
  }

  /** Conjugate gradients on H x = b for a quadratic energy, from x = 0. */
  public static MethodResult cg(Problem problem, RunSettings s) {
    Target target = problem.target(s.tolerance());
    Preconditions.checkArgument(problem.quadratic().isPresent(), "cg needs a quadratic energy; %s is not", problem.name());
    long t0 = System.nanoTime();
    Problem.Quadratic q = problem.quadratic().orElseThrow();
    LinearSolve.Csr csr = LinearSolve.Csr.of(q.hessian());
    double setup = seconds(t0);
    Trace trace = new Trace();
    Watch watch = new Watch(target, problem, s, t0, trace);
    double e0 = q.c();
    trace.add(0, seconds(t0), target.gap(e0), problem.watched() == null ? Double.NaN : watch.watchedValue(0, new double[problem.size()]));
    watch.limit = divergenceLimit(e0, target);
    int cap = (int) Math.min(Integer.MAX_VALUE, s.maxIterations());
    // with r = b - H x: E = 1/2 x^T H x - b^T x + c = -1/2 x^T (b + r) + c, one dot product per iteration
    LinearSolve.Solution solution = LinearSolve.conjugateGradients(csr, q.b(), 0, cap, (it, x, r) -> {
      double sum = 0;
      for (int i = 0; i < x.length; i++) {
        sum += x[i] * (q.b()[i] + r[i]);
      }
      return watch.after(it, -0.5 * sum + q.c(), x);
    });
    if (watch.stop == null) {
      watch.stop = new Stop(Reason.MAX_ITERATIONS, solution.iterations(), null, null);
    }
    return finish("cg", s, 0, null, problem, target, solution.x(), watch.stop, null, setup, t0, trace);
  }

  /** The stopping rules of {@link Loop} for methods that iterate outside TensorFlow. */
  private static final class Watch {
    private final Target target;
    private final Problem.Goal goal;
    private final Problem.Watched watched;
    private final RunSettings s;
    private final long t0;
    private final Trace trace;
    double limit = Double.POSITIVE_INFINITY;
    Stop stop;

    Watch(Target target, Problem problem, RunSettings s, long t0, Trace trace) {
      this.target = target;
      this.goal = problem.goal();
      this.watched = problem.watched();
      this.s = s;
      this.t0 = t0;
      this.trace = trace;
    }

    /** Arrived: the goal's threshold met where the problem has a goal, else the energy's target. */
    boolean arrived(double e, double[] x) {
      return goal != null ? goal.value(x) >= goal.threshold() : target.reached(target.gap(e));
    }

    boolean after(long it, double e, double[] x) {
      double wall = seconds(t0);
      double gap = target.gap(e);
      if (arrived(e, x)) {
        stop = new Stop(Reason.REACHED, it, it, wall);
      } else if (!Double.isFinite(e) || e > limit) {
        stop = new Stop(Reason.DIVERGED, it, null, null);
      } else if (it >= s.maxIterations()) {
        stop = new Stop(Reason.MAX_ITERATIONS, it, null, null);
      } else if (wall > s.budgetS()) {
        stop = new Stop(Reason.BUDGET_S, it, null, null);
      }
      trace.add(it, wall, gap, watchedValue(it, x));
      return stop != null;
    }

    /** The watched quantity at x, at {@link Loop}'s log-spaced iterations and the last one; else NaN. */
    double watchedValue(long it, double[] x) {
      return watched != null && (Trace.watchAt(it) || stop != null) ? watched.value().applyAsDouble(x) : Double.NaN;
    }
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

  /**
   * How a {@link Loop} measures the problem's watched quantity: from x fetched, in plain doubles.
   * {@code readBeforeStep}: x is a variable the step updates in place, so it is read in a run of its
   * own before the step (fetched beside the step it could show the update); else (the GNN stage's
   * computed x) it is fetched with the step.
   */
  private record WatchedX(Problem.Watched quantity, Operand<TFloat64> x, boolean readBeforeStep) {
    /** Null when the problem watches nothing: the loop then fetches exactly what it did before. */
    static WatchedX of(Problem problem, Operand<TFloat64> x, boolean readBeforeStep) {
      return problem.watched() == null ? null : new WatchedX(problem.watched(), x, readBeforeStep);
    }

    List<Operand<TFloat64>> with(List<Operand<TFloat64>> fetch) {
      List<Operand<TFloat64>> all = new ArrayList<>(fetch);
      all.add(x);
      return all;
    }

    double value(Fetched f) {
      return quantity.value().applyAsDouble(f.doubles(x));
    }
  }

  /**
   * Steps until the tolerance, the budget, divergence, or (for the GNN stage) a plateau. With {@code
   * lr} set, the rate is fed each step (the GNN rate in the GNN stage, the stage-2 schedule after it),
   * halved whenever the stage's patience passes without a new lowest energy. Each run
   * fetches the energy of x before its update; when that meets the tolerance, the updated x (the one
   * returned) is checked with one more evaluation, and the run stops only if it meets it too, so a
   * reached run's answer always lies within the tolerance; iterations to tolerance count the steps
   * applied to that answer. With {@code
   * lr} set, the learning rate is fed each step from {@code schedule}'s stage-2 rate.
   */
  private record Loop(
      GraphSession session, Operand<TFloat64> energy, Operand<TFloat64> goal, double goalThreshold, Op step, Placeholder<TFloat32> lr,
      RunSettings schedule, Target target, RunSettings s, long t0, Trace trace, WatchedX watching) {
    /** Arrived: with a goal (fetched beside the energy), its threshold met; else the energy's target. */
    private boolean arrived(Fetched f, double gap) {
      return goal != null ? f.scalarDouble(goal) >= goalThreshold : target.reached(gap);
    }

    Stop run(long startIteration, boolean stopAtPlateau) {
      List<Operand<TFloat64>> fetch = goal == null ? List.of(energy) : List.of(energy, goal);
      List<Operand<TFloat64>> fetchWithX = watching == null ? fetch : watching.with(fetch);
      int window = s.plateauWindow();
      double[] best = new double[window + 1]; // the lowest energy seen up to each recent step
      double lowest = Double.POSITIVE_INFINITY;
      double limit = Double.NaN;
      long it = startIteration;
      double scale = 1; // halved when stage 2 finds no new lowest energy for stage2Patience steps
      long sinceLowest = 0;
      for (long local = 0; ; local++, it++) {
        double rate = stopAtPlateau ? s.gnnLrAt(local) : lr == null ? 0 : schedule.stage2LrAt(local);
        Feeds feeds = lr == null ? Feeds.of() : Feeds.of().scalar(lr, (float) (scale * rate));
        // the watched quantity at log-spaced iterations and at the last one the iteration budget allows
        boolean watch = watching != null && (Trace.watchAt(it) || it + 1 >= s.maxIterations());
        double watched = watch && watching.readBeforeStep() ? watching.value(session.run(Feeds.of(), List.of(watching.x()))) : Double.NaN;
        Fetched f = session.run(feeds, watch && !watching.readBeforeStep() ? fetchWithX : fetch, step);
        watched = watch && !watching.readBeforeStep() ? watching.value(f) : watched;
        double e = f.scalarDouble(energy);
        double wall = seconds(t0);
        double gap = target.gap(e);
        trace.add(it, wall, gap, watched);
        if (arrived(f, gap)) {
          // the fetched energy is of x before this step's update: confirm on the updated x, the one returned
          Fetched confirm = session.run(Feeds.of(), fetchWithX);
          double after = target.gap(confirm.scalarDouble(energy));
          if (arrived(confirm, after)) {
            double done = seconds(t0);
            trace.add(it + 1, done, after, watching == null ? Double.NaN : watching.value(confirm));
            return new Stop(Reason.REACHED, it + 1, it + 1, done);
          }
        }
        if (local == 0) {
          limit = divergenceLimit(e, target);
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
        sinceLowest = e < lowest ? 0 : sinceLowest + 1;
        int patience = stopAtPlateau ? s.gnnPatience() : s.stage2Patience();
        if (lr != null && patience > 0 && sinceLowest >= patience) {
          scale /= 2;
          sinceLowest = 0;
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
      String method, RunSettings s, double lr, Double stage2Lr, Problem problem, Target target, GraphSession session,
      Operand<TFloat64> x, Stop stop, Long switchIteration, double setup, long t0, Trace trace) {
    double[] answer = session.run(Feeds.of(), List.of(x)).doubles(x);
    return finish(method, s, lr, stage2Lr, problem, target, answer, stop, switchIteration, setup, t0, trace);
  }

  private static MethodResult finish(
      String method, RunSettings s, double lr, Double stage2Lr, Problem problem, Target target, double[] answer,
      Stop stop, Long switchIteration, double setup, long t0, Trace trace) {
    double wall = stop.wallSToTol() != null ? stop.wallSToTol() : seconds(t0);
    Double maxError = problem.optimumUnique() ? problem.optimum().map(o -> maxAbsError(answer, o.x())).orElse(null) : null;
    Double finalGoal = problem.goal() == null ? null : problem.goal().value(answer);
    boolean diverged = stop.reason() == Reason.DIVERGED || Arrays.stream(answer).anyMatch(v -> !Double.isFinite(v));
    boolean firstOrder = method.equals("direct") || method.equals("gnn");
    return new MethodResult(
        method,
        firstOrder ? s.optimizer().label() : method,
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
        finalGoal,
        diverged,
        diverged ? "diverged" : stop.reason().name().toLowerCase(Locale.ROOT),
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
