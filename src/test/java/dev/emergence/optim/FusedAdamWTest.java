package dev.emergence.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.session.Feeds;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

class FusedAdamWTest {
  private static final double[] CURVATURE = {1.0, 3.0, 0.5, 2.0};
  private static final double[] START = {1.0, -2.0, 0.5, 3.0};

  /**
   * The fused kernel with eps scaled by sqrt(1 - b2^t) follows the reference AdamW step by step.
   */
  @Test
  void fusedStepsEqualTheReferenceAdamW() {
    AdamWConfig config =
        new AdamWConfig(
            0.9, 0.98, 1e-3, 0.1, AdamWConfig::isMatrix); // a large eps, so its placement shows
    double[] reference = train(new Adam(config));
    double[] fused = train(new FusedAdamW(config));
    assertArrayEquals(reference, fused, 1e-12);
    assertTrue(Math.abs(reference[0] - START[0]) > 0.01, "the weights moved");
  }

  /**
   * loss = sum_i 0.5 a_i w_i^2 over a vector (no decay) and a 2x2 matrix (decayed); returns both
   * after 8 steps.
   */
  private static double[] train(Optimizer optimizer) {
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Ops tf = s.tf();
      Variable<TFloat64> vector = tf.withName("vector").variable(tf.constant(START));
      Variable<TFloat64> matrix =
          tf.withName("matrix")
              .variable(tf.constant(new double[][] {{START[0], START[1]}, {START[2], START[3]}}));
      Operand<TFloat64> a = tf.constant(CURVATURE);
      Operand<TFloat64> flat = tf.reshape(tf.identity(matrix), tf.constant(new long[] {-1}));
      Operand<TFloat64> loss =
          tf.math.add(quadratic(tf, tf.identity(vector), a), quadratic(tf, flat, a));
      Placeholder<TFloat32> lr = tf.placeholder(TFloat32.class);
      Op step = optimizer.minimize(s, loss, List.of(vector, matrix), lr);
      LearningRateSchedule schedule = LearningRateSchedule.warmupCosine(0.05, 2, 8, 0.1);
      for (int t = 0; t < 8; t++) {
        s.run(Feeds.of().scalar(lr, (float) schedule.at(t)), List.of(), step);
      }
      Operand<TFloat64> both =
          tf.concat(
              List.of(
                  tf.identity(vector),
                  tf.reshape(tf.identity(matrix), tf.constant(new long[] {-1}))),
              tf.constant(0));
      return s.run(Feeds.of(), List.of(both)).doubles(both);
    }
  }

  private static Operand<TFloat64> quadratic(Ops tf, Operand<TFloat64> w, Operand<TFloat64> a) {
    return tf.reduceSum(
        tf.math.mul(tf.constant(0.5), tf.math.mul(a, tf.math.square(w))), tf.constant(0));
  }
}
