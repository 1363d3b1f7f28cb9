package dev.emergence.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emergence.session.Feeds;
import dev.emergence.session.Fetched;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The per-member AdamW: member k follows PyTorch's AdamW at its own rate; a member switched off
 * does not move.
 */
class AdamWTest {
  private static final double[] CURVATURE = AdamTest.CURVATURE;
  private static final double[] START = AdamTest.START;
  private static final int STEPS = 6;
  private static final AdamWConfig CONFIG =
      new AdamWConfig(0.9, 0.98, 1e-8, 0.1, AdamWConfig::isMatrix);
  private static final LearningRateSchedule SCHEDULE =
      LearningRateSchedule.warmupCosine(0.05, 2, 6, 0.1);

  /**
   * Member k runs at k + 1 times the schedule; the last member (when K > 1) stops after two steps.
   */
  @ParameterizedTest(name = "K = {0}")
  @ValueSource(ints = {1, 3})
  void eachMemberFollowsPyTorchsAdamWAtItsOwnRate(int k) {
    int stoppedAt = k > 1 ? 2 : STEPS;
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Ops tf = s.tf();
      float[][] vectors = new float[k][];
      float[][][] matrices = new float[k][][];
      for (int m = 0; m < k; m++) {
        vectors[m] = floats(START);
        matrices[m] =
            new float[][] {
              floats(Arrays.copyOfRange(START, 0, 2)), floats(Arrays.copyOfRange(START, 2, 4))
            };
      }
      Variable<TFloat32> vector =
          tf.withName("vector").variable(tf.constant(vectors)); // [K, 4]: no decay
      Variable<TFloat32> matrix =
          tf.withName("matrix").variable(tf.constant(matrices)); // [K, 2, 2]: decayed
      Operand<TFloat32> a = tf.constant(floats(CURVATURE));
      Operand<TFloat32> flat = tf.reshape(tf.identity(matrix), tf.constant(new int[] {k, 4}));
      Operand<TFloat32> loss =
          tf.math.add(quadratic(tf, tf.identity(vector), a), quadratic(tf, flat, a));
      Placeholder<TFloat32> lr = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(k)));
      Placeholder<TFloat32> active = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(k)));
      Op step = new AdamW(CONFIG, k, active).minimize(s, loss, List.of(vector, matrix), lr);
      for (int t = 0; t < STEPS; t++) {
        float[] rates = new float[k];
        float[] on = new float[k];
        for (int m = 0; m < k; m++) {
          boolean running = m < k - 1 || t < stoppedAt;
          rates[m] = running ? (float) ((m + 1) * SCHEDULE.at(t)) : 0f;
          on[m] = running ? 1f : 0f;
        }
        s.run(Feeds.of().floats(lr, rates, k).floats(active, on, k), List.of(), step);
      }
      Operand<TFloat32> v = tf.identity(vector);
      Operand<TFloat32> w = tf.identity(matrix);
      Fetched f = s.run(Feeds.of(), List.of(v, w));
      for (int m = 0; m < k; m++) {
        int steps = m < k - 1 ? STEPS : stoppedAt;
        assertClose(
            reference(m + 1, steps, false),
            Arrays.copyOfRange(f.floats(v), 4 * m, 4 * m + 4),
            "vector of member " + m);
        assertClose(
            reference(m + 1, steps, true),
            Arrays.copyOfRange(f.floats(w), 4 * m, 4 * m + 4),
            "matrix of member " + m);
      }
    }
  }

  /**
   * PyTorch's AdamW in plain doubles ({@link AdamTest#reference}) at {@code factor} times the
   * schedule, for {@code steps} steps.
   */
  private static double[] reference(int factor, int steps, boolean decay) {
    return AdamTest.reference(CONFIG, t -> (float) (factor * SCHEDULE.at(t)), steps, decay);
  }

  /** Per member: sum_i 0.5 a_i w_i^2 over rows {@code [K, 4]}, summed over the members. */
  private static Operand<TFloat32> quadratic(Ops tf, Operand<TFloat32> w, Operand<TFloat32> a) {
    return tf.reduceSum(
        tf.math.mul(tf.constant(0.5f), tf.math.mul(a, tf.math.square(w))),
        tf.constant(new int[] {0, 1}));
  }

  private static void assertClose(double[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(
          expected[i], actual[i], 2e-6 * Math.max(1, Math.abs(expected[i])), what + " [" + i + "]");
    }
  }

  private static float[] floats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }
}
