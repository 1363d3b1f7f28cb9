package dev.emergence.capacity;

/**
 * A logistic regression of a binary outcome on one covariate, {@code P(y = 1) = 1 / (1 +
 * exp(-(intercept + slope x)))}, fitted to grouped counts by Firth's penalized maximum likelihood:
 * the log-likelihood plus half the log-determinant of the Fisher information. The penalty keeps the
 * estimates finite when the outcomes are separable (every size all-or-nothing), where plain maximum
 * likelihood runs off to an infinite slope; on data that are not separable the two estimates are
 * close.
 */
public record FirthLogistic(double intercept, double slope) {
  private static final int MAX_ITERATIONS = 200;
  private static final int MAX_HALVINGS = 40;
  private static final double TOLERANCE = 1e-10;

  /**
   * The largest Newton step: keeps an early step on separable data from overflowing the
   * exponentials.
   */
  private static final double MAX_STEP = 5;

  /** Where the fitted probability is 1/2 (a finite number only with a non-zero slope). */
  public double crossing() {
    return -intercept / slope;
  }

  /**
   * Fits {@code successes[k]} out of {@code trials[k]} at covariate {@code x[k]}; null when the
   * covariate takes one value only (no slope to fit) or the iteration does not converge.
   */
  public static FirthLogistic fit(double[] x, int[] successes, int[] trials) {
    double n = 0;
    double sum = 0;
    for (int k = 0; k < x.length; k++) {
      n += trials[k];
      sum += trials[k] * x[k];
    }
    double mean =
        sum / n; // fitted on centred x, which keeps the information matrix well conditioned
    double[] xc = new double[x.length];
    for (int k = 0; k < x.length; k++) {
      xc[k] = x[k] - mean;
    }
    double[] beta = {0, 0};
    double objective = penalized(beta, xc, successes, trials);
    if (Double.isNaN(objective)) {
      return null;
    }
    for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      double[] step = newtonStep(beta, xc, successes, trials);
      if (step == null) {
        return null;
      }
      double length = Math.max(Math.abs(step[0]), Math.abs(step[1]));
      if (length > MAX_STEP) {
        step[0] *= MAX_STEP / length;
        step[1] *= MAX_STEP / length;
      }
      double[] next = {beta[0] + step[0], beta[1] + step[1]};
      double nextObjective = penalized(next, xc, successes, trials);
      for (int h = 0; h < MAX_HALVINGS && !(nextObjective >= objective); h++) {
        step[0] /= 2;
        step[1] /= 2;
        next = new double[] {beta[0] + step[0], beta[1] + step[1]};
        nextObjective = penalized(next, xc, successes, trials);
      }
      if (!(nextObjective >= objective)) {
        return null;
      }
      beta = next;
      objective = nextObjective;
      if (Math.max(Math.abs(step[0]), Math.abs(step[1])) < TOLERANCE) {
        return new FirthLogistic(beta[0] - beta[1] * mean, beta[1]);
      }
    }
    return null;
  }

  /**
   * The step {@code I^-1 U*} with Firth's modified score {@code U* = sum x_k (y_k - n_k p_k + h_k
   * (1/2 - p_k))}, h the diagonal of the hat matrix; null when the information matrix is singular.
   */
  private static double[] newtonStep(double[] beta, double[] x, int[] y, int[] n) {
    Information info = Information.at(beta, x, n);
    if (!(info.det() > 0)) {
      return null;
    }
    // the inverse of the information [[i00, i01], [i01, i11]]
    double a00 = info.i11() / info.det();
    double a01 = -info.i01() / info.det();
    double a11 = info.i00() / info.det();
    double u0 = 0;
    double u1 = 0;
    for (int k = 0; k < x.length; k++) {
      double h = info.w()[k] * (a00 + 2 * a01 * x[k] + a11 * x[k] * x[k]);
      double r = y[k] - n[k] * info.p()[k] + h * (0.5 - info.p()[k]);
      u0 += r;
      u1 += r * x[k];
    }
    return new double[] {a00 * u0 + a01 * u1, a01 * u0 + a11 * u1};
  }

  /**
   * The log-likelihood plus half the log-determinant of the information; NaN when it is singular.
   */
  private static double penalized(double[] beta, double[] x, int[] y, int[] n) {
    double logLikelihood = 0;
    for (int k = 0; k < x.length; k++) {
      double eta = beta[0] + beta[1] * x[k];
      logLikelihood += y[k] * logSigmoid(eta) + (n[k] - y[k]) * logSigmoid(-eta);
    }
    double det = Information.at(beta, x, n).det();
    return det > 0 ? logLikelihood + 0.5 * Math.log(det) : Double.NaN;
  }

  /** Fitted probabilities p, weights w = n p (1 - p) and the Fisher information matrix at beta. */
  // Arrays by design: private per-iteration vectors of the Newton step; never compared.
  @SuppressWarnings("ArrayRecordComponent")
  private record Information(double[] p, double[] w, double i00, double i01, double i11) {
    static Information at(double[] beta, double[] x, int[] n) {
      double[] p = new double[x.length];
      double[] w = new double[x.length];
      double i00 = 0;
      double i01 = 0;
      double i11 = 0;
      for (int k = 0; k < x.length; k++) {
        p[k] = 1 / (1 + Math.exp(-(beta[0] + beta[1] * x[k])));
        w[k] = n[k] * p[k] * (1 - p[k]);
        i00 += w[k];
        i01 += w[k] * x[k];
        i11 += w[k] * x[k] * x[k];
      }
      return new Information(p, w, i00, i01, i11);
    }

    double det() {
      return i00 * i11 - i01 * i01;
    }
  }

  /** log(1 / (1 + e^-z)) without overflow for large |z|. */
  private static double logSigmoid(double z) {
    return z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
  }
}
