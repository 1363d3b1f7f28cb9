package dev.emergence.probe;

import com.google.common.base.Preconditions;
import org.ejml.simple.SimpleMatrix;
import org.ejml.simple.SimpleSVD;

/**
 * The geometry of the number tokens' embeddings (rows of {@code wte} for the numbers {@code
 * 0..n-1}): principal components of the centred rows (EJML SVD) with each one's share of the
 * variance, how well the first component orders the numbers (Spearman rank correlation with the
 * value), and the cosine similarity of every pair of rows (not centred).
 *
 * @param explainedVariance share of the total variance per component, largest first
 * @param pc1 each number's coordinate on the first component, oriented so that it correlates
 *     non-negatively with the value
 * @param pc2 each number's coordinate on the second component (zeros when there is none)
 * @param order Spearman rank correlation of {@code pc1} with the value, in [0, 1] by the
 *     orientation
 * @param cosine the n x n cosine-similarity matrix
 */
// Arrays by design: numeric vectors and a matrix, copied into the probe result JSON.
@SuppressWarnings("ArrayRecordComponent")
public record EmbeddingGeometry(
    double[] explainedVariance, double[] pc1, double[] pc2, double order, double[][] cosine) {

  /** The geometry of rows {@code embeddings[v]} for the numbers v = 0..n-1. */
  public static EmbeddingGeometry of(float[][] embeddings) {
    int n = embeddings.length;
    Preconditions.checkArgument(n >= 2, "need at least two numbers, got %s", n);
    int d = embeddings[0].length;
    double[][] centred = new double[n][d];
    for (int j = 0; j < d; j++) {
      double mean = 0;
      for (float[] row : embeddings) {
        mean += row[j];
      }
      mean /= n;
      for (int i = 0; i < n; i++) {
        centred[i][j] = embeddings[i][j] - mean;
      }
    }
    SimpleMatrix x = new SimpleMatrix(centred);
    SimpleSVD<SimpleMatrix> svd = x.svd(true);
    double[] s = svd.getSingularValues();
    SimpleMatrix v = svd.getV();
    // sort components by singular value, largest first (SimpleSVD already does; keep it explicit)
    Integer[] idx = new Integer[s.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    java.util.Arrays.sort(idx, (a, b) -> Double.compare(s[b], s[a]));
    double total = 0;
    for (double value : s) {
      total += value * value;
    }
    double[] explained = new double[s.length];
    for (int k = 0; k < s.length; k++) {
      explained[k] = total == 0 ? 0 : s[idx[k]] * s[idx[k]] / total;
    }
    double[] pc1 = project(x, v, idx.length > 0 ? idx[0] : -1);
    double[] pc2 = project(x, v, idx.length > 1 ? idx[1] : -1);
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = i;
    }
    double rho = spearman(pc1, values);
    if (rho < 0) {
      for (int i = 0; i < n; i++) {
        pc1[i] = -pc1[i];
      }
      rho = -rho;
    }
    return new EmbeddingGeometry(explained, pc1, pc2, rho, cosine(embeddings));
  }

  private static double[] project(SimpleMatrix x, SimpleMatrix v, int column) {
    double[] out = new double[x.getNumRows()];
    if (column < 0) {
      return out;
    }
    for (int i = 0; i < out.length; i++) {
      double sum = 0;
      for (int j = 0; j < x.getNumCols(); j++) {
        sum += x.get(i, j) * v.get(j, column);
      }
      out[i] = sum;
    }
    return out;
  }

  /** Cosine similarity of every pair of rows (0 for a zero row). */
  public static double[][] cosine(float[][] rows) {
    int n = rows.length;
    double[] norms = new double[n];
    for (int i = 0; i < n; i++) {
      norms[i] = Math.sqrt(dot(rows[i], rows[i]));
    }
    double[][] out = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double denominator = norms[i] * norms[j];
        out[i][j] = denominator == 0 ? 0 : dot(rows[i], rows[j]) / denominator;
      }
    }
    return out;
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int k = 0; k < a.length; k++) {
      sum += (double) a[k] * b[k];
    }
    return sum;
  }

  /**
   * Spearman rank correlation (Pearson correlation of the ranks, ties given their mean rank); 0
   * when a side is constant.
   */
  public static double spearman(double[] a, double[] b) {
    return pearson(ranks(a), ranks(b));
  }

  static double[] ranks(double[] values) {
    int n = values.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(values[x], values[y]));
    double[] ranks = new double[n];
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && values[order[j + 1]] == values[order[i]]) {
        j++;
      }
      double mean = (i + j) / 2.0;
      for (int k = i; k <= j; k++) {
        ranks[order[k]] = mean;
      }
      i = j + 1;
    }
    return ranks;
  }

  static double pearson(double[] a, double[] b) {
    int n = a.length;
    double ma = 0, mb = 0;
    for (int i = 0; i < n; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= n;
    mb /= n;
    double sab = 0, saa = 0, sbb = 0;
    for (int i = 0; i < n; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
  }

  /**
   * Mean cosine similarity of neighbouring values (|a - b| = 1), of distinct values of equal {@code
   * parity}, and of unequal parity.
   */
  public java.util.Map<String, Double> cosineSummary(java.util.function.IntUnaryOperator parity) {
    double adjacent = 0, same = 0, other = 0;
    int na = 0, ns = 0, no = 0;
    int n = cosine.length;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (j - i == 1) {
          adjacent += cosine[i][j];
          na++;
        }
        if (parity.applyAsInt(i) == parity.applyAsInt(j)) {
          same += cosine[i][j];
          ns++;
        } else {
          other += cosine[i][j];
          no++;
        }
      }
    }
    java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
    out.put("adjacent", na == 0 ? Double.NaN : adjacent / na);
    out.put("same_parity", ns == 0 ? Double.NaN : same / ns);
    out.put("other_parity", no == 0 ? Double.NaN : other / no);
    return out;
  }
}
