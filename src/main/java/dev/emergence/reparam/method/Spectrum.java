package dev.emergence.reparam.method;

import com.google.common.base.Preconditions;
import dev.emergence.nn.SparseMatrix;
import dev.emergence.reparam.LinearSolve;
import dev.emergence.reparam.Problem;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Estimates of a Hessian's extreme eigenvalues, what the curvature-aware optimizers set their rates
 * from: Lanczos (plain three-term recurrence, no reorthogonalization, in plain Java arrays) from H
 * r, r seeded uniform in [-1, 1), until the estimate that matters has settled. The extreme Ritz
 * values (the tridiagonal's extreme eigenvalues, by Sturm bisection) lie inside the spectrum and
 * approach its ends from within: lambda_max from below within tens of steps, lambda_min from above,
 * slowly on a badly conditioned matrix (about sqrt(kappa) steps: on grid2d:128x128@disorder=2,
 * where lambda_min is 6.0e-4, 100 steps give 0.20, 1,000 give 2.5e-3, 3,000 give 6.02e-4), so the
 * estimated condition number is a lower bound until it has settled. Lanczos without
 * reorthogonalization repeats converged Ritz values but finds none outside the spectrum, so its
 * extremes stay valid. Starting from H r keeps the null space of a singular Hessian out of the
 * Krylov space; for a Laplacian (H 1 = 0: Kuramoto's coupling Laplacian, whose constant vector is a
 * symmetry along which the gradient has no component) every vector is also kept orthogonal to 1, so
 * lambda_min is the smallest nonzero eigenvalue.
 *
 * @param lambdaMin the smallest (non-null) eigenvalue's estimate
 * @param lambdaMax the largest eigenvalue's estimate
 * @param steps the Lanczos steps (products with H) taken
 * @param seconds how long the estimate took: every method run that uses it counts these in its wall
 *     time
 */
public record Spectrum(double lambdaMin, double lambdaMax, int steps, double seconds) {
  /** The most Lanczos steps an estimate takes. */
  public static final int MAX_STEPS = 50_000;

  /**
   * An estimate has settled when it moved by less than this (relative) at two checks in a row,
   * checks about 10% of the steps apart (one quiet check can be a plateau of the slow lambda_min).
   */
  public static final double SETTLED = 1e-3;

  /** Which matrix, and which end of its spectrum must settle. */
  enum Of {
    /** The Hessian H itself, until lambda_min settles (Nesterov's momentum needs kappa). */
    HESSIAN,
    /**
     * D^-1/2 H D^-1/2, D = diag(H), the Hessian Jacobi-preconditioned gradient descent sees, until
     * lambda_max settles (its step 2 / (lambda_min + lambda_max) hardly depends on lambda_min).
     */
    JACOBI_SCALED
  }

  private static final Logger LOG = LogManager.getLogger(Spectrum.class);
  private static final Map<Problem, Map<Of, Spectrum>> CACHE = new WeakHashMap<>();

  /** The estimate for a problem's Hessian, computed on first use and kept with the problem. */
  static Spectrum of(Problem problem, Of which) {
    synchronized (CACHE) {
      return CACHE
          .computeIfAbsent(problem, p -> new java.util.EnumMap<>(Of.class))
          .computeIfAbsent(
              which,
              w -> {
                Spectrum s =
                    estimate(
                        w == Of.HESSIAN ? problem.hessian() : jacobiScaled(problem.hessian()),
                        w == Of.HESSIAN,
                        MAX_STEPS,
                        0);
                LOG.info(
                    "spectrum of {} ({} Lanczos steps, {} s): lambda_min {}, lambda_max {}, condition {}",
                    w,
                    s.steps(),
                    String.format(java.util.Locale.ROOT, "%.3f", s.seconds()),
                    s.lambdaMin(),
                    s.lambdaMax(),
                    s.condition());
                return s;
              });
    }
  }

  /** The condition number lambdaMax / lambdaMin. */
  public double condition() {
    return lambdaMax / lambdaMin;
  }

  /** Nesterov's momentum for a strongly convex quadratic: (sqrt(kappa) - 1) / (sqrt(kappa) + 1). */
  public double nesterovMomentum() {
    double root = Math.sqrt(condition());
    return (root - 1) / (root + 1);
  }

  /** The diagonal of a square sparse matrix (duplicates summed). */
  static double[] diagonal(SparseMatrix h) {
    double[] d = new double[h.n()];
    for (int k = 0; k < h.nonzeros(); k++) {
      if (h.rows()[k] == h.cols()[k]) {
        d[h.rows()[k]] += h.values()[k];
      }
    }
    for (int i = 0; i < d.length; i++) {
      Preconditions.checkArgument(
          d[i] > 0,
          "diagonal entry %s of the Hessian is %s; jacobi needs a positive diagonal",
          (Object) i,
          d[i]);
    }
    return d;
  }

  /** D^-1/2 H D^-1/2. */
  static SparseMatrix jacobiScaled(SparseMatrix h) {
    double[] d = diagonal(h);
    double[] values = new double[h.nonzeros()];
    for (int k = 0; k < values.length; k++) {
      values[k] = h.values()[k] / Math.sqrt(d[h.rows()[k]] * d[h.cols()[k]]);
    }
    return new SparseMatrix(h.n(), h.rows(), h.cols(), values);
  }

  /**
   * Lanczos on symmetric {@code h} until the estimate of lambda_min ({@code untilMin}) or of
   * lambda_max settles ({@link #SETTLED}), the Krylov space closes (then both are exact) or {@code
   * maxSteps}.
   */
  static Spectrum estimate(SparseMatrix h, boolean untilMin, int maxSteps, long seed) {
    long t0 = System.nanoTime();
    LinearSolve.Csr m = LinearSolve.Csr.of(h);
    int n = h.n();
    double[] ones = new double[n];
    Arrays.fill(ones, 1);
    double[] h1 = h.times(ones);
    boolean laplacian =
        Math.sqrt(LinearSolve.dot(h1, h1))
            <= 1e-12 * Math.sqrt(n) * Arrays.stream(h.values()).map(Math::abs).max().orElse(0);
    Random random = new Random(seed);
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = 2 * random.nextDouble() - 1;
    }
    double[] q = new double[n];
    m.times(r, q);
    double[] previous = new double[n];
    double[] w = new double[n];
    // without reorthogonalization the basis loses orthogonality, so even a small matrix may take
    // more than n steps
    int cap = maxSteps;
    double[] alpha = new double[cap];
    double[] beta = new double[cap];
    double norm = normalize(q, laplacian);
    Preconditions.checkArgument(
        norm > 0, "the Hessian is zero on a random vector: no spectrum to estimate");
    int k = 0;
    int nextCheck = 10;
    double[] last = null;
    int quiet = 0; // checks in a row at which the estimate moved by less than SETTLED
    while (true) {
      m.times(q, w);
      alpha[k] = LinearSolve.dot(w, q);
      for (int i = 0; i < n; i++) {
        w[i] -= alpha[k] * q[i] + (k > 0 ? beta[k - 1] * previous[i] : 0);
      }
      k++;
      boolean closed = false;
      if (k < cap) {
        double b = normalize(w, laplacian);
        closed = b <= 1e-12 * Math.abs(alpha[k - 1]) + Double.MIN_NORMAL;
        beta[k - 1] = b;
        double[] t = previous;
        previous = q;
        q = w;
        w = t;
      }
      if (closed || k == cap || k == nextCheck) {
        double[] now = {smallest(alpha, beta, k), largest(alpha, beta, k)};
        int end = untilMin ? 0 : 1;
        quiet =
            last != null && Math.abs(now[end] - last[end]) <= SETTLED * Math.abs(now[end])
                ? quiet + 1
                : 0;
        if (closed || k == cap || quiet == 2) {
          return new Spectrum(now[0], now[1], k, (System.nanoTime() - t0) / 1e9);
        }
        last = now;
        nextCheck = k + Math.max(10, k / 10);
      }
    }
  }

  /**
   * Makes v orthogonal to the constant vector (for a Laplacian), then of unit length; returns its
   * norm before scaling.
   */
  private static double normalize(double[] v, boolean laplacian) {
    if (laplacian) {
      double mean = Arrays.stream(v).average().orElse(0);
      for (int i = 0; i < v.length; i++) {
        v[i] -= mean;
      }
    }
    double norm = Math.sqrt(LinearSolve.dot(v, v));
    if (norm > 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] /= norm;
      }
    }
    return norm;
  }

  /**
   * The smallest eigenvalue of the k x k symmetric tridiagonal (alpha diagonal, beta off-diagonal),
   * by bisection.
   */
  static double smallest(double[] alpha, double[] beta, int k) {
    double[] range = gershgorin(alpha, beta, k);
    return bisect(alpha, beta, k, range[0], range[1], 1);
  }

  /** The largest eigenvalue of the tridiagonal, by bisection. */
  static double largest(double[] alpha, double[] beta, int k) {
    double[] range = gershgorin(alpha, beta, k);
    return bisect(alpha, beta, k, range[0], range[1], k);
  }

  private static double[] gershgorin(double[] alpha, double[] beta, int k) {
    double low = Double.POSITIVE_INFINITY;
    double high = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < k; i++) {
      double radius = (i > 0 ? Math.abs(beta[i - 1]) : 0) + (i + 1 < k ? Math.abs(beta[i]) : 0);
      low = Math.min(low, alpha[i] - radius);
      high = Math.max(high, alpha[i] + radius);
    }
    return new double[] {low, high};
  }

  /**
   * The j-th smallest eigenvalue (1-based) in [low, high]: bisection on the Sturm count until the
   * interval stops shrinking.
   */
  private static double bisect(
      double[] alpha, double[] beta, int k, double low, double high, int j) {
    while (true) {
      double mid = 0.5 * (low + high);
      if (mid <= low || mid >= high) {
        return high;
      }
      if (below(alpha, beta, k, mid) >= j) {
        high = mid;
      } else {
        low = mid;
      }
    }
  }

  /** How many eigenvalues of the tridiagonal lie below x (Sturm sequence of the LDL^T pivots). */
  private static int below(double[] alpha, double[] beta, int k, double x) {
    int count = 0;
    double d = 1;
    for (int i = 0; i < k; i++) {
      d = alpha[i] - x - (i > 0 ? beta[i - 1] * beta[i - 1] / d : 0);
      if (d == 0) {
        d = Double.MIN_NORMAL;
      }
      count += d < 0 ? 1 : 0;
    }
    return count;
  }
}
