package dev.emergence.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emergence.session.Feeds;
import dev.emergence.session.Fetched;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

class AdamTest {
  static final double[] CURVATURE = {1.0, 3.0, 0.5, 2.0};
  static final double[] START = {1.0, -2.0, 0.5, 3.0};

  /** loss = sum_i 0.5 a_i w_i^2 for a vector w and a 2x2 matrix W holding the same numbers. */
  @Test
  void quadraticStepsMatchAHandComputation() {
    AdamWConfig config = new AdamWConfig(0.9, 0.98, 1e-8, 0.1, AdamWConfig::isMatrix);
    LearningRateSchedule schedule = LearningRateSchedule.warmupCosine(0.05, 2, 6, 0.1);
    int steps = 6;
    double[][] trained = train(config, schedule, steps);
    IntToDoubleFunction lr =
        t -> (float) schedule.at(t); // the graph is fed a float32 learning rate
    assertArrayEquals(reference(config, lr, steps, false), trained[0], 1e-12, "vector (no decay)");
    assertArrayEquals(reference(config, lr, steps, true), trained[1], 1e-12, "matrix (decayed)");
  }

  @Test
  void twoRunsWithOneSeedAreBitIdentical() {
    float[] first = trainMlp(2);
    float[] second = trainMlp(2);
    assertArrayEquals(first, second);
    assertArrayEquals(first, trainMlp(1), "thread settings must not change the numbers");
  }

  private static double[][] train(AdamWConfig config, LearningRateSchedule schedule, int steps) {
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Ops tf = s.tf();
      Variable<TFloat64> vector = tf.withName("vector").variable(tf.constant(START));
      Variable<TFloat64> matrix =
          tf.withName("matrix")
              .variable(tf.constant(new double[][] {{START[0], START[1]}, {START[2], START[3]}}));
      Operand<TFloat64> a = tf.constant(CURVATURE);
      Operand<TFloat64> loss =
          tf.math.add(
              quadratic(tf, tf.identity(vector), a),
              quadratic(tf, tf.reshape(tf.identity(matrix), tf.constant(new long[] {-1})), a));
      Placeholder<TFloat32> lr = tf.placeholder(TFloat32.class);
      Op step = new Adam(config).minimize(s, loss, List.of(vector, matrix), lr);
      for (int t = 0; t < steps; t++) {
        s.run(Feeds.of().scalar(lr, (float) schedule.at(t)), List.of(), step);
      }
      Operand<TFloat64> v = tf.identity(vector);
      Operand<TFloat64> m = tf.identity(matrix);
      Fetched f = s.run(Feeds.of(), List.of(v, m));
      return new double[][] {f.doubles(v), f.doubles(m)};
    }
  }

  private static Operand<TFloat64> quadratic(Ops tf, Operand<TFloat64> w, Operand<TFloat64> a) {
    return tf.reduceSum(
        tf.math.mul(tf.constant(0.5), tf.math.mul(a, tf.math.square(w))), tf.constant(0));
  }

  /**
   * PyTorch's AdamW on loss = sum_i 0.5 a_i w_i^2 from {@link #START}, written out in plain
   * doubles; {@code rates} by step from 0.
   */
  static double[] reference(AdamWConfig c, IntToDoubleFunction rates, int steps, boolean decay) {
    double[] w = START.clone();
    double[] m = new double[w.length];
    double[] v = new double[w.length];
    for (int t = 1; t <= steps; t++) {
      double lr = rates.applyAsDouble(t - 1);
      for (int i = 0; i < w.length; i++) {
        double g = CURVATURE[i] * w[i];
        if (decay) {
          w[i] *= 1 - lr * c.weightDecay();
        }
        m[i] = c.beta1() * m[i] + (1 - c.beta1()) * g;
        v[i] = c.beta2() * v[i] + (1 - c.beta2()) * g * g;
        double bc1 = 1 - Math.pow(c.beta1(), t);
        double bc2 = 1 - Math.pow(c.beta2(), t);
        w[i] -= lr / bc1 * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + c.epsilon());
      }
    }
    return w;
  }

  /** A small tanh MLP regression in float32, 200 steps; returns the trained first-layer weights. */
  private static float[] trainMlp(int threads) {
    try (GraphSession s = new GraphSession(SessionConfig.cpu(threads))) {
      Ops tf = s.tf();
      var w1 =
          tf.withName("w1")
              .variable(
                  tf.random.statelessRandomNormal(
                      tf.constant(new long[] {8, 32}),
                      tf.constant(new long[] {1, 2}),
                      TFloat32.class));
      var w2 =
          tf.withName("w2")
              .variable(
                  tf.random.statelessRandomNormal(
                      tf.constant(new long[] {32, 1}),
                      tf.constant(new long[] {3, 4}),
                      TFloat32.class));
      var x =
          tf.random.statelessRandomNormal(
              tf.constant(new long[] {64, 8}), tf.constant(new long[] {5, 6}), TFloat32.class);
      Operand<TFloat32> y =
          tf.reduceSum(
              tf.math.sin(x), tf.constant(1), org.tensorflow.op.core.ReduceSum.keepDims(true));
      Operand<TFloat32> prediction =
          tf.linalg.matMul(tf.math.tanh(tf.linalg.matMul(x, tf.identity(w1))), tf.identity(w2));
      Operand<TFloat32> loss =
          tf.math.mean(tf.math.square(tf.math.sub(prediction, y)), tf.constant(new int[] {0, 1}));
      Placeholder<TFloat32> lr = tf.placeholder(TFloat32.class);
      Op step = new Adam(AdamWConfig.defaults()).minimize(s, loss, List.of(w1, w2), lr);
      LearningRateSchedule schedule = LearningRateSchedule.warmupCosine(1e-2, 20, 200, 0.1);
      float first = Float.NaN;
      float last = Float.NaN;
      for (int t = 0; t < 200; t++) {
        Fetched f = s.run(Feeds.of().scalar(lr, (float) schedule.at(t)), List.of(loss), step);
        last = f.scalar(loss);
        first = t == 0 ? last : first;
      }
      assertEquals(true, last < 0.5 * first, "the MLP should learn: loss " + first + " -> " + last);
      Operand<TFloat32> weights = tf.identity(w1);
      return s.run(Feeds.of(), List.of(weights)).floats(weights);
    }
  }
}
