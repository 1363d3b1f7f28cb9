package dev.emergence.optim;

import com.google.common.base.Preconditions;

/**
 * Limited-memory BFGS (Nocedal and Wright, Algorithm 7.4/7.5) on a plain double vector: the
 * two-loop recursion over the last {@code memory} pairs (s, y), the initial Hessian scaled by s'y /
 * y'y, and a backtracking line search on the Armijo condition from the step 1 (halving; a pair
 * whose curvature s'y is not positive is skipped). The objective computes E and dE/dx wherever it
 * likes (here: one TensorFlow session run).
 */
public final class Lbfgs {
  /** E(x), writing dE/dx into {@code gradient}. */
  public interface Objective {
    double evaluate(double[] x, double[] gradient);
  }

  /**
   * Sees the accepted point after every iteration (1-based) and its energy; returns true to stop.
   */
  public interface Monitor {
    boolean after(long iteration, double energy, double[] x);
  }

  /**
   * The settings of an L-BFGS run.
   *
   * @param memory pairs kept (PyTorch's and SciPy's default is 10)
   * @param c1 the Armijo constant (sufficient decrease)
   * @param maxBacktracks halvings of the step before the iteration gives up
   */
  public record Config(int memory, double c1, int maxBacktracks) {
    public Config {
      Preconditions.checkArgument(memory >= 1, "L-BFGS memory must be at least 1, got %s", memory);
      Preconditions.checkArgument(
          c1 > 0 && c1 < 1, "Armijo constant must be in (0, 1), got %s", c1);
      Preconditions.checkArgument(
          maxBacktracks >= 1, "backtracks must be at least 1, got %s", maxBacktracks);
    }

    public static Config defaults() {
      return new Config(10, 1e-4, 40);
    }
  }

  /**
   * Where the run ended: iterations done, objective evaluations, the last energy, and why it
   * stopped.
   */
  public record Result(
      long iterations, long evaluations, double energy, boolean stoppedByMonitor) {}

  private Lbfgs() {}

  /** Minimizes from {@code x} (updated in place) for at most {@code maxIterations} iterations. */
  public static Result minimize(
      Objective f, double[] x, Config config, long maxIterations, Monitor monitor) {
    int n = x.length;
    int m = config.memory();
    double[][] s = new double[m][n];
    double[][] y = new double[m][n];
    double[] rho = new double[m];
    double[] alpha = new double[m];
    int stored = 0;
    int newest = -1;
    double[] g = new double[n];
    double[] gNext = new double[n];
    double[] d = new double[n];
    double[] xNext = new double[n];
    double e = f.evaluate(x, g);
    long evaluations = 1;
    for (long it = 1; it <= maxIterations; it++) {
      // d = -H g by the two-loop recursion
      System.arraycopy(g, 0, d, 0, n);
      for (int k = 0; k < stored; k++) {
        int i = Math.floorMod(newest - k, m);
        alpha[i] = rho[i] * dot(s[i], d);
        axpy(-alpha[i], y[i], d);
      }
      double gamma =
          stored == 0
              ? 1 / Math.max(Math.sqrt(dot(g, g)), 1e-300)
              : dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
      scale(gamma, d);
      for (int k = stored - 1; k >= 0; k--) {
        int i = Math.floorMod(newest - k, m);
        double beta = rho[i] * dot(y[i], d);
        axpy(alpha[i] - beta, s[i], d);
      }
      scale(-1, d);
      double slope = dot(g, d);
      if (!(slope < 0)) { // not a descent direction (rounding): restart from steepest descent
        stored = 0;
        System.arraycopy(g, 0, d, 0, n);
        scale(-1 / Math.max(Math.sqrt(dot(g, g)), 1e-300), d);
        slope = dot(g, d);
      }
      double t = 1;
      double eNext = Double.NaN;
      boolean accepted = false;
      for (int b = 0; b < config.maxBacktracks(); b++) {
        for (int i = 0; i < n; i++) {
          xNext[i] = x[i] + t * d[i];
        }
        eNext = f.evaluate(xNext, gNext);
        evaluations++;
        if (Double.isFinite(eNext) && eNext <= e + config.c1() * t * slope) {
          accepted = true;
          break;
        }
        t /= 2;
      }
      if (!accepted) {
        return new Result(
            it - 1, evaluations, e, false); // no decrease found: at the limit of precision
      }
      int slot = (newest + 1) % m;
      double sy = 0;
      for (int i = 0; i < n; i++) {
        s[slot][i] = xNext[i] - x[i];
        y[slot][i] = gNext[i] - g[i];
        sy += s[slot][i] * y[slot][i];
      }
      if (sy > 0) {
        rho[slot] = 1 / sy;
        newest = slot;
        stored = Math.min(stored + 1, m);
      }
      System.arraycopy(xNext, 0, x, 0, n);
      System.arraycopy(gNext, 0, g, 0, n);
      e = eNext;
      if (monitor.after(it, e, x)) {
        return new Result(it, evaluations, e, true);
      }
    }
    return new Result(maxIterations, evaluations, e, false);
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }

  private static void scale(double a, double[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] *= a;
    }
  }
}
