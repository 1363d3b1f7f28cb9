package dev.emergence.optim;

import com.google.common.base.Preconditions;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TFloating;

/**
 * Adagrad in PyTorch's form (accumulator starts at 0, no learning-rate decay):
 *
 * <pre>
 *   s = s + g^2
 *   w = w - lr g / (sqrt(s) + eps)
 * </pre>
 *
 * By default as TensorFlow's fused {@code ApplyAdagradV2} kernel (the same arithmetic in one op);
 * {@link #unfused} builds it op by op.
 */
public final class Adagrad extends Optimizer {
  private final double epsilon;
  private final boolean fused;

  public Adagrad(double epsilon) {
    this(epsilon, true);
  }

  private Adagrad(double epsilon, boolean fused) {
    Preconditions.checkArgument(epsilon > 0, "epsilon must be positive, got %s", epsilon);
    this.epsilon = epsilon;
    this.fused = fused;
  }

  /** PyTorch's default eps, built op by op. */
  public static Adagrad unfused() {
    return new Adagrad(1e-10, false);
  }

  /** PyTorch's default: eps 1e-10. */
  public static Adagrad defaults() {
    return new Adagrad(1e-10);
  }

  @Override
  public String name() {
    return "adagrad";
  }

  @Override
  protected <T extends TFloating> Op update(Ops tf, Variable<T> w, Operand<T> g, Operand<T> lr) {
    Variable<T> s = slot(tf, w, "sum");
    if (fused) {
      return tf.train.applyAdagradV2(w, s, lr, constant(tf, epsilon, w.type()), g);
    }
    Operand<T> newS = tf.math.add(tf.identity(s), tf.math.square(g));
    Operand<T> step =
        tf.math.div(
            tf.math.mul(lr, g), tf.math.add(tf.math.sqrt(newS), constant(tf, epsilon, w.type())));
    return tf.withControlDependencies(List.of(tf.assign(s, newS)))
        .assign(w, tf.math.sub(tf.identity(w), step));
  }
}
