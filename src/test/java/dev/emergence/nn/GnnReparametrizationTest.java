package dev.emergence.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emergence.session.Feeds;
import dev.emergence.session.Fetched;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

class GnnReparametrizationTest {
  /** A 3-node path with self-loops, unnormalized. */
  private static final SparseMatrix P =
      new SparseMatrix(
          3,
          new int[] {0, 1, 1, 2, 0, 1, 2},
          new int[] {1, 0, 2, 1, 0, 1, 2},
          new double[] {0.5, 0.5, 0.25, 0.25, 1, 1, 1});

  @Test
  void forwardPassMatchesAHandComputation() {
    for (GnnReparametrization.Skip skip : GnnReparametrization.Skip.values()) {
      var config =
          new GnnReparametrization.Config(2, 2, skip, GnnReparametrization.Activation.TANH, 3);
      try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
        Ops tf = s.tf();
        var net = new GnnReparametrization<>(tf, "gnn", config, P, 1, TFloat64.class);
        assertEquals(5, net.variables().size(), "z, w1, w2, readout, bias");
        // give the zero-initialized read-out and bias values, then compare with plain Java
        int width = skip == GnnReparametrization.Skip.CONCAT ? 6 : 2;
        double[] r = new double[width];
        for (int i = 0; i < width; i++) {
          r[i] = 0.3 * (i + 1) - 0.7;
        }
        s.run(
            tf.assign(
                net.variables().get(3),
                tf.reshape(tf.constant(r), tf.constant(new long[] {width, 1}))),
            tf.assign(net.variables().get(4), tf.constant(new double[] {0.1})));
        List<Operand<TFloat64>> fetch =
            List.of(
                tf.identity(net.variables().get(0)),
                tf.identity(net.variables().get(1)),
                tf.identity(net.variables().get(2)),
                net.output());
        Fetched f = s.run(Feeds.of(), fetch);
        double[][] z = rows(f.doubles(fetch.get(0)), 2);
        double[][] h1 = tanh(P, z, rows(f.doubles(fetch.get(1)), 2));
        if (skip == GnnReparametrization.Skip.RESIDUAL) {
          h1 = add(z, h1);
        }
        double[][] h2 = tanh(P, h1, rows(f.doubles(fetch.get(2)), 2));
        if (skip == GnnReparametrization.Skip.RESIDUAL) {
          h2 = add(h1, h2);
        }
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
          double[] features =
              skip == GnnReparametrization.Skip.CONCAT
                  ? new double[] {z[i][0], z[i][1], h1[i][0], h1[i][1], h2[i][0], h2[i][1]}
                  : h2[i];
          expected[i] = 0.1;
          for (int k = 0; k < width; k++) {
            expected[i] += features[k] * r[k];
          }
        }
        assertArrayEquals(expected, f.doubles(fetch.get(3)), 1e-12, skip.toString());
      }
    }
  }

  private static double[][] rows(double[] flat, int cols) {
    double[][] m = new double[flat.length / cols][cols];
    for (int i = 0; i < flat.length; i++) {
      m[i / cols][i % cols] = flat[i];
    }
    return m;
  }

  /** tanh(P h W). */
  private static double[][] tanh(SparseMatrix p, double[][] h, double[][] w) {
    double[][] hw = new double[h.length][w[0].length];
    for (int i = 0; i < h.length; i++) {
      for (int j = 0; j < w[0].length; j++) {
        for (int k = 0; k < w.length; k++) {
          hw[i][j] += h[i][k] * w[k][j];
        }
      }
    }
    double[][] out = new double[h.length][w[0].length];
    for (int j = 0; j < w[0].length; j++) {
      double[] column = new double[h.length];
      for (int i = 0; i < h.length; i++) {
        column[i] = hw[i][j];
      }
      double[] pc = p.times(column);
      for (int i = 0; i < h.length; i++) {
        out[i][j] = Math.tanh(pc[i]);
      }
    }
    return out;
  }

  private static double[][] add(double[][] a, double[][] b) {
    double[][] c = new double[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        c[i][j] = a[i][j] + b[i][j];
      }
    }
    return c;
  }
}
