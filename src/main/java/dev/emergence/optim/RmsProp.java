package dev.emergence.optim;

import com.google.common.base.Preconditions;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TFloating;

/**
 * RMSProp in PyTorch's form (no momentum, not centered):
 *
 * <pre>
 *   v = alpha v + (1 - alpha) g^2
 *   w = w - lr g / (sqrt(v) + eps)
 * </pre>
 */
public final class RmsProp extends Optimizer {
  private final double alpha;
  private final double epsilon;

  public RmsProp(double alpha, double epsilon) {
    Preconditions.checkArgument(alpha >= 0 && alpha < 1, "alpha must be in [0, 1), got %s", alpha);
    Preconditions.checkArgument(epsilon > 0, "epsilon must be positive, got %s", epsilon);
    this.alpha = alpha;
    this.epsilon = epsilon;
  }

  /** PyTorch's defaults: alpha 0.99, eps 1e-8. */
  public static RmsProp defaults() {
    return new RmsProp(0.99, 1e-8);
  }

  @Override
  public String name() {
    return "rmsprop";
  }

  @Override
  protected <T extends TFloating> Op update(Ops tf, Variable<T> w, Operand<T> g, Operand<T> lr) {
    Class<T> type = w.type();
    Variable<T> v = slot(tf, w, "square_avg");
    Operand<T> a = constant(tf, alpha, type);
    Operand<T> newV =
        tf.math.add(
            tf.math.mul(a, tf.identity(v)),
            tf.math.mul(constant(tf, 1 - alpha, type), tf.math.square(g)));
    Operand<T> step =
        tf.math.div(
            tf.math.mul(lr, g), tf.math.add(tf.math.sqrt(newV), constant(tf, epsilon, type)));
    return tf.withControlDependencies(List.of(tf.assign(v, newV)))
        .assign(w, tf.math.sub(tf.identity(w), step));
  }
}
