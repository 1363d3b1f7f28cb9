package dev.emergence.reparam.method;

import dev.emergence.reparam.Problem;
import dev.emergence.reparam.graph.GraphSpec;
import dev.emergence.reparam.graph.PointClouds;
import dev.emergence.reparam.problem.HomologyProblem;
import dev.emergence.reparam.problem.KuramotoProblem;

import dev.emergence.nn.GnnReparametrization;
import dev.emergence.nn.SparseMatrix;
import dev.emergence.session.Feeds;
import dev.emergence.session.Fetched;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * A throwaway small-size probe (not a test, not the benchmark): iterations to a target for direct
 * Adam on x against the GNN method (x = x0 + GNN(Z), GCN propagation of the problem's Hessian,
 * plateau switch to direct Adam at 1e-4 as in Reparametrization), each over a small learning-rate
 * grid. It has its own loop because the run code does not yet offset the GNN by the initial point
 * and its divergence check assumes positive energies. Run:
 * java -cp target/classes:target/test-classes:$(cat cp.txt) dev.emergence.reparam.ReparamProbe kuramoto grid2d:16x16 ...
 */
public final class ReparamProbe {
  interface Done {
    boolean test(double energy, double monitor);
  }

  record Outcome(String method, double lr, long iterations, double seconds, double lastEnergy, double lastMonitor, long switchAt) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%-6s lr %-6s %s in %6d it %6.2f s (E %.6g, monitor %.6g%s)", method, lr,
          iterations >= 0 ? "reached" : "NOT   ", Math.abs(iterations), seconds, lastEnergy, lastMonitor,
          switchAt >= 0 ? ", switch at " + switchAt : "");
    }
  }

  static Outcome run(Problem p, boolean gnn, double lr, long seed, long maxIt, double budgetS, Done done,
      java.util.function.BiFunction<Ops, Operand<TFloat64>, Operand<TFloat64>> monitorOf) {
    long t0 = System.nanoTime();
    try (GraphSession s = new GraphSession(SessionConfig.cpu(1))) {
      Ops tf = s.tf();
      double[] x0 = p.initialPoint(seed);
      Operand<TFloat64> energy;
      Operand<TFloat64> monitor;
      Op step;
      Op copy = null;
      Op direct2 = null;
      Operand<TFloat64> energy2 = null;
      Operand<TFloat64> monitor2 = null;
      if (!gnn) {
        Variable<TFloat64> x = tf.variable(tf.constant(x0));
        Operand<TFloat64> xr = tf.identity(x);
        energy = p.energy(tf, xr);
        monitor = monitorOf.apply(tf, xr);
        step = OptimizerKind.ADAM.create().minimize(s, energy, List.of(x), tf.constant((float) lr));
      } else {
        SparseMatrix prop = Propagation.GCN.from(p.hessian());
        GnnReparametrization<TFloat32> net = new GnnReparametrization<>(
            tf, "gnn", GnnReparametrization.Config.defaults(seed), prop, 1, TFloat32.class);
        Operand<TFloat64> xg = tf.math.add(tf.constant(x0),
            tf.dtypes.cast(tf.reshape(net.output(), tf.constant(new long[] {-1})), TFloat64.class));
        energy = p.energy(tf, xg);
        monitor = monitorOf.apply(tf, xg);
        step = OptimizerKind.ADAM.create().minimize(s, tf.dtypes.cast(energy, TFloat32.class), net.variables(),
            tf.constant((float) lr));
        Variable<TFloat64> x = tf.variable(tf.zeros(tf.constant(new long[] {p.size()}), TFloat64.class));
        copy = tf.assign(x, xg);
        Operand<TFloat64> xr = tf.identity(x);
        energy2 = p.energy(tf, xr);
        monitor2 = monitorOf.apply(tf, xr);
        direct2 = OptimizerKind.ADAM.create().minimize(s, energy2, List.of(x), tf.constant(1e-4f));
      }
      int window = 50;
      List<Double> lowest = new ArrayList<>();
      double low = Double.POSITIVE_INFINITY;
      long switchAt = -1;
      double e = Double.NaN;
      double m = Double.NaN;
      for (long it = 0; it < maxIt; it++) {
        boolean stage2 = switchAt >= 0;
        Operand<TFloat64> eo = stage2 ? energy2 : energy;
        Operand<TFloat64> mo = stage2 ? monitor2 : monitor;
        Fetched f = s.run(Feeds.of(), List.of(eo, mo), stage2 ? direct2 : step);
        e = f.scalarDouble(eo);
        m = f.scalarDouble(mo);
        double wall = (System.nanoTime() - t0) / 1e9;
        if (done.test(e, m)) {
          return new Outcome(gnn ? "gnn" : "direct", lr, it, wall, e, m, switchAt);
        }
        if (!Double.isFinite(e) || wall > budgetS) {
          break;
        }
        if (gnn && !stage2) {
          low = Math.min(low, e);
          lowest.add(low);
          int k = lowest.size() - 1;
          if (k >= window && (lowest.get(k - window) - low) / Math.abs(low) < 1e-4) {
            s.run(copy);
            switchAt = it + 1;
          }
        }
      }
      return new Outcome(gnn ? "gnn" : "direct", lr, -maxIt, (System.nanoTime() - t0) / 1e9, e, m, switchAt);
    }
  }

  public static void main(String[] args) {
    String problem = args[0];
    String spec = args[1];
    long maxIt = Long.parseLong(args[2]);
    double budget = Double.parseDouble(args[3]);
    double[] lrs = java.util.Arrays.stream(args[4].split(",")).mapToDouble(Double::parseDouble).toArray();
    long seed = 0;
    // warm-up: the process's first session pays the native start-up (seconds on a loaded machine)
    KuramotoProblem tiny = KuramotoProblem.of(GraphSpec.load("grid2d:4x3", 0));
    run(tiny, false, 0.01, 0, 20, 60, (en, r) -> false, KuramotoProblem::orderParameter);
    run(tiny, true, 0.01, 0, 20, 60, (en, r) -> false, KuramotoProblem::orderParameter);
    if (problem.startsWith("kuramoto")) {
      double spread = args.length > 5 ? Double.parseDouble(args[5]) : 2 * Math.PI;
      KuramotoProblem p = new KuramotoProblem(GraphSpec.load(spec, seed).graph(),
          problem.endsWith("initial") ? KuramotoProblem.HessianAt.INITIAL_ABS : KuramotoProblem.HessianAt.SYNCHRONIZED,
          spread, seed);
      double eStar = p.optimum().orElseThrow().energy();
      System.out.printf(Locale.ROOT, "%s %s n=%d spread %.3f r0 %.3f%n", problem, spec, p.size(), spread,
          KuramotoProblem.orderParameter(p.initialPoint(seed)));
      for (String target : new String[] {"r>=0.99", "gap<=1e-6"}) {
        Done done = target.startsWith("r")
            ? (en, r) -> r >= 0.99
            : (en, r) -> (en - eStar) / Math.abs(eStar) <= 1e-6;
        for (boolean gnn : new boolean[] {false, true}) {
          for (double lr : lrs) {
            System.out.println(target + " " + run(p, gnn, lr, seed, maxIt, budget, done, KuramotoProblem::orderParameter));
          }
        }
      }
    } else {
      String[] parts = problem.split(":"); // homology:pull:keep or homology:push
      HomologyProblem.Mode mode = HomologyProblem.Mode.parse(parts[1]);
      int keep = parts.length > 2 ? Integer.parseInt(parts[2]) : 0;
      PointClouds.Cloud cloud = PointClouds.load(spec, seed);
      HomologyProblem p = new HomologyProblem(cloud.points(),
          new HomologyProblem.Settings(mode, HomologyProblem.DEFAULT_K, HomologyProblem.DEFAULT_SPREAD, keep, null));
      double l0 = p.energy(p.initialPoint(0));
      System.out.printf(Locale.ROOT, "%s %s n=%d L0 %.6g%n", problem, spec, p.size(), l0);
      // the target: the best loss direct Adam reaches within its budget (best lr), to 1e-3 relative
      double best = Double.POSITIVE_INFINITY;
      for (double lr : lrs) {
        double[] low = {Double.POSITIVE_INFINITY};
        run(p, false, lr, seed, maxIt, budget, (en, mm) -> {
          low[0] = Math.min(low[0], en);
          return false;
        }, (tf, x) -> tf.constant(0.0));
        System.out.printf(Locale.ROOT, "direct lr %s lowest %.6g%n", lr, low[0]);
        best = Math.min(best, low[0]);
      }
      double target = best + 1e-3 * Math.abs(best);
      System.out.printf(Locale.ROOT, "target %.6g%n", target);
      for (boolean gnn : new boolean[] {false, true}) {
        for (double lr : lrs) {
          System.out.println(run(p, gnn, lr, seed, maxIt, budget, (en, mm) -> en <= target, (tf, x) -> tf.constant(0.0)));
        }
      }
    }
  }
}
