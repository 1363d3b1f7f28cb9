package dev.emergence.nn;

import com.google.common.base.Preconditions;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * A square sparse matrix in coordinate form (row-major order of entries is not required): entry k
 * is {@code values[k]} at ({@code rows[k]}, {@code cols[k]}). Used for Hessians and GNN propagation
 * matrices; {@link InGraph#matMul} multiplies it with a dense graph operand.
 */
// Arrays by design: coordinate arrays are the buffers of the sparse tensor; no boxing.
@SuppressWarnings("ArrayRecordComponent")
public record SparseMatrix(int n, int[] rows, int[] cols, double[] values) {
  public SparseMatrix {
    Preconditions.checkArgument(n > 0, "a sparse matrix needs at least one row, got n = %s", n);
    Preconditions.checkArgument(
        rows.length == cols.length && cols.length == values.length,
        "rows, cols and values must have one length, got %s, %s, %s",
        rows.length,
        cols.length,
        values.length);
    for (int k = 0; k < rows.length; k++) {
      Preconditions.checkArgument(
          rows[k] >= 0 && rows[k] < n && cols[k] >= 0 && cols[k] < n,
          "entry %s at (%s, %s) is outside a %sx%s matrix",
          k,
          rows[k],
          cols[k],
          n,
          n);
      Preconditions.checkArgument(
          Double.isFinite(values[k]), "entry %s is not finite: %s", (Object) k, values[k]);
    }
  }

  public int nonzeros() {
    return values.length;
  }

  /** y = A x for a dense vector, in plain Java doubles. */
  public double[] times(double[] x) {
    Preconditions.checkArgument(
        x.length == n, "vector of length %s for a %sx%s matrix", x.length, n, n);
    double[] y = new double[n];
    for (int k = 0; k < values.length; k++) {
      y[rows[k]] += values[k] * x[cols[k]];
    }
    return y;
  }

  /** The dense value at (i, j) (sums duplicates); for tests and small matrices. */
  public double get(int i, int j) {
    double sum = 0;
    for (int k = 0; k < values.length; k++) {
      if (rows[k] == i && cols[k] == j) {
        sum += values[k];
      }
    }
    return sum;
  }

  /**
   * The matrix as graph constants, built once and multiplied many times (indices from one flat
   * buffer).
   */
  @SuppressWarnings("unchecked")
  public <T extends TNumber> InGraph<T> inGraph(Ops tf, Class<T> type) {
    long[] flat = new long[2 * values.length]; // [nnz, 2], row-major
    for (int k = 0; k < values.length; k++) {
      flat[2 * k] = rows[k];
      flat[2 * k + 1] = cols[k];
    }
    Operand<TInt64> indices =
        tf.constant(Shape.of(values.length, 2), DataBuffers.of(flat, true, false));
    Operand<T> v =
        type == TFloat64.class
            ? (Operand<T>) (Operand<?>) tf.constant(values)
            : tf.dtypes.cast(tf.constant(values), type);
    return new InGraph<>(tf, indices, v, tf.constant(new long[] {n, n}));
  }

  /** A sparse matrix held by graph constants: indices [nnz, 2], values [nnz], shape [2]. */
  public record InGraph<T extends TNumber>(
      Ops tf, Operand<TInt64> indices, Operand<T> values, Operand<TInt64> shape) {
    /** A x for a dense [n, f] operand, through SparseTensorDenseMatMul. */
    public Operand<T> matMul(Operand<T> x) {
      return tf.sparse.sparseTensorDenseMatMul(
          indices, values, shape, x); // [n, n] x [n, f] -> [n, f]
    }
  }
}
