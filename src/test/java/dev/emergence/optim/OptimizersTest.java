package dev.emergence.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.emergence.session.Feeds;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat64;

/**
 * Every optimizer against PyTorch's update rule written out by hand, on loss = sum 0.5 a_i w_i^2.
 */
class OptimizersTest {
  private static final double[] A = {1.0, 3.0, 0.5, 2.0};
  private static final double[] START = {1.0, -2.0, 0.5, 3.0};
  private static final double LR = (float) 0.05; // exactly the float32 constant the graph sees
  private static final int STEPS = 7;

  /** One hand step: state s (zeros at first), gradient g, parameter w; updates w and s in place. */
  private interface Rule {
    void step(double[] w, double[] g, double[][] state, int t);
  }

  @Test
  void plainGradientDescent() {
    check(
        Sgd.plain(),
        (w, g, s, t) -> {
          for (int i = 0; i < w.length; i++) {
            w[i] -= LR * g[i];
          }
        });
  }

  @Test
  void momentum() {
    check(
        new Sgd(0.9),
        (w, g, s, t) -> {
          for (int i = 0; i < w.length; i++) {
            s[0][i] = 0.9 * s[0][i] + g[i];
            w[i] -= LR * s[0][i];
          }
        });
  }

  @Test
  void nesterovFusedAndOpByOp() {
    Rule rule =
        (w, g, s, t) -> {
          for (int i = 0; i < w.length; i++) {
            s[0][i] = 0.9 * s[0][i] + g[i];
            w[i] -= LR * (g[i] + 0.9 * s[0][i]);
          }
        };
    check(Sgd.nesterov(0.9, true), rule);
    check(Sgd.nesterov(0.9, false), rule);
  }

  @Test
  void jacobiScalesEachCoordinate() {
    double[] p = {1 / A[0], 1 / A[1], 1 / A[2], 1 / A[3]};
    Rule rule =
        (w, g, s, t) -> {
          for (int i = 0; i < w.length; i++) {
            w[i] -= LR * p[i] * g[i];
          }
        };
    check(new Jacobi(p, true), rule);
    check(new Jacobi(p, false), rule);
    assertThrows(IllegalArgumentException.class, () -> new Jacobi(new double[] {1, 0}, true));
  }

  @Test
  void adam() {
    check(
        Adam.defaults(),
        (w, g, s, t) -> {
          for (int i = 0; i < w.length; i++) {
            s[0][i] = 0.9 * s[0][i] + 0.1 * g[i];
            s[1][i] = 0.999 * s[1][i] + 0.001 * g[i] * g[i];
            double mHat = s[0][i] / (1 - Math.pow(0.9, t));
            double vHat = s[1][i] / (1 - Math.pow(0.999, t));
            w[i] -= LR * mHat / (Math.sqrt(vHat) + 1e-8);
          }
        });
  }

  @Test
  void rmsProp() {
    check(
        RmsProp.defaults(),
        (w, g, s, t) -> {
          for (int i = 0; i < w.length; i++) {
            s[0][i] = 0.99 * s[0][i] + 0.01 * g[i] * g[i];
            w[i] -= LR * g[i] / (Math.sqrt(s[0][i]) + 1e-8);
          }
        });
  }

  @Test
  void adagrad() {
    check(
        Adagrad.defaults(),
        (w, g, s, t) -> {
          for (int i = 0; i < w.length; i++) {
            s[0][i] += g[i] * g[i];
            w[i] -= LR * g[i] / (Math.sqrt(s[0][i]) + 1e-10);
          }
        });
  }

  @Test
  void badHyperparametersAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Sgd(1.0));
    assertThrows(IllegalArgumentException.class, () -> Sgd.nesterov(0, true));
    assertThrows(IllegalArgumentException.class, () -> new RmsProp(0.99, 0));
    assertThrows(IllegalArgumentException.class, () -> new Adagrad(-1));
  }

  private static void check(Optimizer optimizer, Rule rule) {
    double[] w = START.clone();
    double[][] state = new double[2][w.length];
    for (int t = 1; t <= STEPS; t++) {
      double[] g = new double[w.length];
      for (int i = 0; i < w.length; i++) {
        g[i] = A[i] * w[i];
      }
      rule.step(w, g, state, t);
    }
    assertArrayEquals(w, train(optimizer), 1e-12, optimizer.name());
  }

  private static double[] train(Optimizer optimizer) {
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Ops tf = s.tf();
      Variable<TFloat64> w = tf.withName("w").variable(tf.constant(START));
      Operand<TFloat64> read = tf.identity(w);
      Operand<TFloat64> loss =
          tf.reduceSum(
              tf.math.mul(tf.constant(0.5), tf.math.mul(tf.constant(A), tf.math.square(read))),
              tf.constant(0));
      Op step = optimizer.minimize(s, loss, List.of(w), tf.constant((float) LR));
      for (int t = 0; t < STEPS; t++) {
        s.run(step);
      }
      Operand<TFloat64> out = tf.identity(w);
      return s.run(Feeds.of(), List.of(out)).doubles(out);
    }
  }
}
