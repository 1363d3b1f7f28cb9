package dev.emergence.reparam;

import com.google.common.base.Preconditions;
import dev.emergence.nn.SparseMatrix;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.DMatrixSparseCSC;
import org.ejml.data.DMatrixSparseTriplet;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.ejml.dense.row.mult.VectorVectorMult_DDRM;
import org.ejml.ops.DConvertMatrixStruct;
import org.ejml.sparse.FillReducing;
import org.ejml.sparse.csc.CommonOps_DSCC;
import org.ejml.sparse.csc.factory.LinearSolverFactory_DSCC;

/**
 * Solves A x = b for a sparse symmetric positive definite A (a Hessian). EJML's sparse Cholesky has
 * no fill-reducing ordering, so its factor fills the matrix's envelope; where that envelope would not
 * fit in a quarter of the heap, Jacobi-preconditioned conjugate gradients run to a 1e-12 relative
 * residual instead (so {@code grid2d:1024x1024} solves in memory that the factorization would need
 * about 8 GB for).
 */
public final class LinearSolve {
  /** The relative residual |b - A x| / |b| at which conjugate gradients count as exact. */
  public static final double EXACT_RESIDUAL = 1e-12;

  private LinearSolve() {}

  /** The outcome of conjugate gradients. */
  public record Solution(double[] x, int iterations, double relativeResidual, boolean converged) {}

  /** x = A^-1 b: by Cholesky where the factor fits, else by conjugate gradients to {@link #EXACT_RESIDUAL}. */
  public static double[] exact(SparseMatrix a, double[] b) {
    if (envelope(a) * 8.0 < Runtime.getRuntime().maxMemory() / 4.0) {
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

  /** The number of entries on or below the diagonal within each row's first nonzero: Cholesky's fill. */
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
    Preconditions.checkState(solver.setA(csc(a)), "the Hessian is not positive definite; cannot solve exactly");
    DMatrixRMaj x = new DMatrixRMaj(a.n(), 1);
    solver.solve(new DMatrixRMaj(a.n(), 1, true, b), x);
    return x.getData().clone();
  }

  /**
   * Jacobi-preconditioned conjugate gradients from x = 0 until |b - A x| <= tolerance |b| or {@code
   * maxIterations}. The residual is recomputed from scratch every 50 iterations so that rounding in
   * the recurrence cannot fake convergence.
   */
  public static Solution conjugateGradients(SparseMatrix a, double[] b, double tolerance, int maxIterations) {
    int n = a.n();
    Preconditions.checkArgument(b.length == n, "right-hand side of length %s for a %sx%s matrix", b.length, n, n);
    DMatrixSparseCSC m = csc(a);
    DMatrixRMaj inverseDiagonal = new DMatrixRMaj(n, 1);
    for (int i = 0; i < n; i++) {
      double d = m.get(i, i);
      Preconditions.checkArgument(d > 0, "diagonal entry %s is %s; a positive definite matrix needs > 0", (Object) i, d);
      inverseDiagonal.data[i] = 1 / d;
    }
    DMatrixRMaj rhs = new DMatrixRMaj(n, 1, true, b);
    double bNorm = NormOps_DDRM.normP2(rhs);
    DMatrixRMaj x = new DMatrixRMaj(n, 1);
    if (bNorm == 0) {
      return new Solution(x.data, 0, 0, true);
    }
    DMatrixRMaj r = rhs.copy();
    DMatrixRMaj z = new DMatrixRMaj(n, 1);
    CommonOps_DDRM.elementMult(inverseDiagonal, r, z);
    DMatrixRMaj p = z.copy();
    DMatrixRMaj ap = new DMatrixRMaj(n, 1);
    double rz = VectorVectorMult_DDRM.innerProd(r, z);
    double residual = 1;
    int it = 0;
    while (it < maxIterations) {
      CommonOps_DSCC.mult(m, p, ap);
      double alpha = rz / VectorVectorMult_DDRM.innerProd(p, ap);
      CommonOps_DDRM.addEquals(x, alpha, p);
      CommonOps_DDRM.addEquals(r, -alpha, ap);
      it++;
      if (it % 50 == 0) {
        CommonOps_DSCC.mult(m, x, ap);
        CommonOps_DDRM.subtract(rhs, ap, r);
      }
      residual = NormOps_DDRM.normP2(r) / bNorm;
      if (residual <= tolerance) {
        CommonOps_DSCC.mult(m, x, ap); // confirm on the true residual
        CommonOps_DDRM.subtract(rhs, ap, r);
        residual = NormOps_DDRM.normP2(r) / bNorm;
        if (residual <= tolerance) {
          return new Solution(x.data, it, residual, true);
        }
      }
      CommonOps_DDRM.elementMult(inverseDiagonal, r, z);
      double rzNext = VectorVectorMult_DDRM.innerProd(r, z);
      CommonOps_DDRM.add(z, rzNext / rz, p, p);
      rz = rzNext;
    }
    return new Solution(x.data, it, residual, false);
  }

  private static DMatrixSparseCSC csc(SparseMatrix a) {
    DMatrixSparseTriplet triplet = new DMatrixSparseTriplet(a.n(), a.n(), a.nonzeros());
    for (int k = 0; k < a.nonzeros(); k++) {
      triplet.addItem(a.rows()[k], a.cols()[k], a.values()[k]);
    }
    return DConvertMatrixStruct.convert(triplet, (DMatrixSparseCSC) null);
  }
}
