package dev.emergence.reparam;

import com.google.common.base.Preconditions;
import dev.emergence.nn.SparseMatrix;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.DMatrixSparseCSC;
import org.ejml.data.DMatrixSparseTriplet;
import org.ejml.ops.DConvertMatrixStruct;
import org.ejml.sparse.FillReducing;
import org.ejml.sparse.csc.factory.LinearSolverFactory_DSCC;

/**
 * Solves A x = b for a sparse symmetric positive definite A (a Hessian). EJML's sparse Cholesky has
 * no fill-reducing ordering, so its factor fills the matrix's envelope and its cost grows with the
 * envelope times the bandwidth; it is used only for small envelopes (at most {@link
 * #CHOLESKY_MAX_ENVELOPE} entries). Beyond that, Jacobi-preconditioned conjugate gradients in plain
 * arrays run to a 1e-12 relative residual: measured on 2 shared cores, 1.1 s at 256^2 (Cholesky 6.4
 * s), 8.8 s at 512^2, 73 s at 1024^2 (3,666 iterations; Cholesky would need about 8 GB), 0.06 s on
 * a 32^3 grid (Cholesky 34 s).
 */
public final class LinearSolve {
  /** The relative residual |b - A x| / |b| at which conjugate gradients count as exact. */
  public static final double EXACT_RESIDUAL = 1e-12;

  private LinearSolve() {}

  /** The outcome of conjugate gradients. */
  // Arrays by design: the solution vector is a plain double[] for the numeric code.
  @SuppressWarnings("ArrayRecordComponent")
  public record Solution(double[] x, int iterations, double relativeResidual, boolean converged) {}

  /** The largest envelope (entries) for which {@link #exact} factorizes instead of iterating. */
  public static final long CHOLESKY_MAX_ENVELOPE = 1_000_000;

  /**
   * x = A^-1 b: by Cholesky for a small envelope, else by conjugate gradients to {@link
   * #EXACT_RESIDUAL}.
   */
  public static double[] exact(SparseMatrix a, double[] b) {
    if (envelope(a) <= CHOLESKY_MAX_ENVELOPE) {
      return cholesky(a, b);
    }
    Solution s = conjugateGradients(a, b, EXACT_RESIDUAL, 20 * a.n() + 1000);
    Preconditions.checkState(
        s.converged(),
        "conjugate gradients reached only a %s relative residual in %s iterations; the Hessian may be singular",
        (Object) s.relativeResidual(),
        s.iterations());
    return s.x();
  }

  /**
   * The number of entries on or below the diagonal within each row's first nonzero: Cholesky's
   * fill.
   */
  static long envelope(SparseMatrix a) {
    int[] first = new int[a.n()];
    for (int i = 0; i < a.n(); i++) {
      first[i] = i;
    }
    for (int k = 0; k < a.nonzeros(); k++) {
      int i = a.rows()[k];
      first[i] = Math.min(first[i], a.cols()[k]);
    }
    long total = 0;
    for (int i = 0; i < a.n(); i++) {
      total += i - first[i] + 1;
    }
    return total;
  }

  static double[] cholesky(SparseMatrix a, double[] b) {
    var solver = LinearSolverFactory_DSCC.cholesky(FillReducing.NONE);
    Preconditions.checkState(
        solver.setA(csc(a)), "the Hessian is not positive definite; cannot solve exactly");
    DMatrixRMaj x = new DMatrixRMaj(a.n(), 1);
    solver.solve(new DMatrixRMaj(a.n(), 1, true, b), x);
    return x.getData().clone();
  }

  /**
   * Jacobi-preconditioned conjugate gradients from x = 0 until |b - A x| <= tolerance |b| or {@code
   * maxIterations}. The residual is recomputed from scratch every 50 iterations so that rounding in
   * the recurrence cannot fake convergence.
   */
  public static Solution conjugateGradients(
      SparseMatrix a, double[] b, double tolerance, int maxIterations) {
    return conjugateGradients(Csr.of(a), b, tolerance, maxIterations, null);
  }

  /**
   * Receives the iterate after every conjugate-gradient iteration (1-based) with A x - b; returns
   * true to stop.
   */
  public interface Watcher {
    boolean after(int iteration, double[] x, double[] residual);
  }

  /**
   * Jacobi-preconditioned conjugate gradients on a CSR matrix, in plain arrays (one pass over the
   * nonzeros per iteration). {@code watcher}, if given, sees every iterate and the residual b - A x
   * and may stop the solve (which then reports not converged unless the residual is below
   * tolerance).
   */
  public static Solution conjugateGradients(
      Csr m, double[] b, double tolerance, int maxIterations, Watcher watcher) {
    int n = m.n();
    Preconditions.checkArgument(
        b.length == n, "right-hand side of length %s for a %sx%s matrix", b.length, n, n);
    double[] inverseDiagonal = new double[n];
    for (int i = 0; i < n; i++) {
      double d = m.diagonal(i);
      Preconditions.checkArgument(
          d > 0, "diagonal entry %s is %s; a positive definite matrix needs > 0", (Object) i, d);
      inverseDiagonal[i] = 1 / d;
    }
    double bNorm = Math.sqrt(dot(b, b));
    double[] x = new double[n];
    if (bNorm == 0) {
      return new Solution(x, 0, 0, true);
    }
    double[] r = b.clone();
    double[] z = new double[n];
    for (int i = 0; i < n; i++) {
      z[i] = inverseDiagonal[i] * r[i];
    }
    double[] p = z.clone();
    double[] ap = new double[n];
    double rz = dot(r, z);
    double residual = 1;
    int it = 0;
    while (it < maxIterations) {
      m.times(p, ap);
      double alpha = rz / dot(p, ap);
      for (int i = 0; i < n; i++) {
        x[i] += alpha * p[i];
        r[i] -= alpha * ap[i];
      }
      it++;
      if (it % 50 == 0) {
        trueResidual(m, b, x, r);
      }
      residual = Math.sqrt(dot(r, r)) / bNorm;
      if (residual <= tolerance) {
        trueResidual(m, b, x, r); // confirm on the true residual
        residual = Math.sqrt(dot(r, r)) / bNorm;
        if (residual <= tolerance) {
          if (watcher != null) {
            watcher.after(it, x, r);
          }
          return new Solution(x, it, residual, true);
        }
      }
      if (watcher != null && watcher.after(it, x, r)) {
        return new Solution(x, it, residual, false);
      }
      double rzNext = 0;
      for (int i = 0; i < n; i++) {
        z[i] = inverseDiagonal[i] * r[i];
        rzNext += r[i] * z[i];
      }
      double beta = rzNext / rz;
      for (int i = 0; i < n; i++) {
        p[i] = z[i] + beta * p[i];
      }
      rz = rzNext;
    }
    return new Solution(x, it, residual, false);
  }

  private static void trueResidual(Csr m, double[] b, double[] x, double[] r) {
    m.times(x, r);
    for (int i = 0; i < r.length; i++) {
      r[i] = b[i] - r[i];
    }
  }

  /** The dot product of two vectors of one length. */
  public static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  /** A square sparse matrix in compressed rows, for fast products in plain Java. */
  // Arrays by design: compressed-row arrays for fast plain-Java products; no boxing.
  @SuppressWarnings("ArrayRecordComponent")
  public record Csr(int n, int[] rowStart, int[] cols, double[] values) {
    /** Compressed rows of a coordinate matrix (duplicates kept: their products add up). */
    public static Csr of(SparseMatrix a) {
      int n = a.n();
      int[] start = new int[n + 1];
      for (int k = 0; k < a.nonzeros(); k++) {
        start[a.rows()[k] + 1]++;
      }
      for (int i = 0; i < n; i++) {
        start[i + 1] += start[i];
      }
      int[] fill = java.util.Arrays.copyOf(start, n);
      int[] cols = new int[a.nonzeros()];
      double[] values = new double[a.nonzeros()];
      for (int k = 0; k < a.nonzeros(); k++) {
        int at = fill[a.rows()[k]]++;
        cols[at] = a.cols()[k];
        values[at] = a.values()[k];
      }
      return new Csr(n, start, cols, values);
    }

    /** y = A x. */
    public void times(double[] x, double[] y) {
      for (int i = 0; i < n; i++) {
        double sum = 0;
        for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
          sum += values[k] * x[cols[k]];
        }
        y[i] = sum;
      }
    }

    double diagonal(int i) {
      double d = 0;
      for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
        d += cols[k] == i ? values[k] : 0;
      }
      return d;
    }
  }

  private static DMatrixSparseCSC csc(SparseMatrix a) {
    DMatrixSparseTriplet triplet = new DMatrixSparseTriplet(a.n(), a.n(), a.nonzeros());
    for (int k = 0; k < a.nonzeros(); k++) {
      triplet.addItem(a.rows()[k], a.cols()[k], a.values()[k]);
    }
    return DConvertMatrixStruct.convert(triplet, (DMatrixSparseCSC) null);
  }
}
