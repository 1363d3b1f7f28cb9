package dev.emergence.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.sparse.SparseTensorDenseMatMul;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/** The registered gradients against central finite differences, in float64. */
class GradientsTest {
  private static final double H = 1e-6;

  @Test
  void sparseSoftmaxCrossEntropyMatchesFiniteDifferences() {
    double[] logits = {0.3, -1.2, 2.0, 0.5, 0.1, -0.7, 1.1, 0.0, 0.4, -0.3, 0.9, 1.5};
    int[] labels = {2, 0, 3};
    double[] rowWeights = {1.0, -2.0, 0.5};
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Ops tf = s.tf();
      Placeholder<TFloat64> x = tf.placeholder(TFloat64.class);
      Operand<TInt32> y = tf.constant(labels);
      // A weighted sum of the per-row losses, so each row's incoming gradient differs.
      Operand<TFloat64> loss =
          tf.reduceSum(
              tf.math.mul(
                  tf.nn.sparseSoftmaxCrossEntropyWithLogits(x, y).loss(), tf.constant(rowWeights)),
              tf.constant(0));
      Output<?> grad = s.graph().addGradients(loss.asOutput(), new Output<?>[] {x.output()})[0];
      assertMatchesFiniteDifferences(s, x, new long[] {3, 4}, logits, loss, grad);
    }
  }

  @Test
  void sparseTensorDenseMatMulMatchesFiniteDifferencesForValuesAndDense() {
    for (boolean adjointA : new boolean[] {false, true}) {
      for (boolean adjointB : new boolean[] {false, true}) {
        checkSparseMatMul(adjointA, adjointB);
      }
    }
  }

  private static void checkSparseMatMul(boolean adjointA, boolean adjointB) {
    long[][] indices = {{0, 0}, {0, 2}, {1, 1}, {2, 0}, {2, 2}};
    double[] values = {0.5, -1.0, 2.0, 0.25, 1.5};
    double[] dense = {1, 2, -1, 0.5, 3, -2};
    long[] denseShape = adjointB ? new long[] {2, 3} : new long[] {3, 2};
    double[] outWeights = {0.3, -0.8, 1.2, 0.7, -0.1, 0.9};
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Ops tf = s.tf();
      Placeholder<TFloat64> v = tf.placeholder(TFloat64.class);
      Placeholder<TFloat64> b = tf.placeholder(TFloat64.class);
      Operand<TFloat64> product =
          tf.sparse.sparseTensorDenseMatMul(
              tf.constant(indices),
              v,
              tf.constant(new long[] {3, 3}),
              b,
              SparseTensorDenseMatMul.adjointA(adjointA),
              SparseTensorDenseMatMul.adjointB(adjointB));
      Operand<TFloat64> loss =
          tf.reduceSum(
              tf.math.mul(
                  tf.reshape(product, tf.constant(new long[] {-1})), tf.constant(outWeights)),
              tf.constant(0));
      Output<?>[] grads =
          s.graph().addGradients(loss.asOutput(), new Output<?>[] {v.output(), b.output()});
      // d loss / d values, with b fixed
      assertMatchesFiniteDifferences(
          s, v, new long[] {values.length}, values, loss, grads[0], b, dense, denseShape);
      // d loss / d b, with values fixed
      assertMatchesFiniteDifferences(
          s, b, denseShape, dense, loss, grads[1], v, values, new long[] {values.length});
    }
  }

  private static void assertMatchesFiniteDifferences(
      GraphSession s,
      Placeholder<TFloat64> x,
      long[] shape,
      double[] at,
      Operand<TFloat64> loss,
      Output<?> grad) {
    assertMatchesFiniteDifferences(s, x, shape, at, loss, grad, null, null, null);
  }

  @SuppressWarnings("unchecked")
  private static void assertMatchesFiniteDifferences(
      GraphSession s,
      Placeholder<TFloat64> x,
      long[] shape,
      double[] at,
      Operand<TFloat64> loss,
      Output<?> grad,
      Placeholder<TFloat64> other,
      double[] otherValue,
      long[] otherShape) {
    Operand<TFloat64> g = (Operand<TFloat64>) grad;
    double[] analytic =
        s.run(feeds(x, at, shape, other, otherValue, otherShape), List.of(g)).doubles(g);
    for (int i = 0; i < at.length; i++) {
      double[] plus = at.clone();
      double[] minus = at.clone();
      plus[i] += H;
      minus[i] -= H;
      double up =
          s.run(feeds(x, plus, shape, other, otherValue, otherShape), List.of(loss))
              .scalarDouble(loss);
      double down =
          s.run(feeds(x, minus, shape, other, otherValue, otherShape), List.of(loss))
              .scalarDouble(loss);
      assertEquals((up - down) / (2 * H), analytic[i], 1e-6, "component " + i);
    }
  }

  private static Feeds feeds(
      Placeholder<TFloat64> x,
      double[] value,
      long[] shape,
      Placeholder<TFloat64> other,
      double[] otherValue,
      long[] otherShape) {
    Feeds feeds = Feeds.of().doubles(x, value, shape);
    return other == null ? feeds : feeds.doubles(other, otherValue, otherShape);
  }
}
