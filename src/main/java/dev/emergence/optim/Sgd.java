package dev.emergence.optim;

import com.google.common.base.Preconditions;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TFloating;

/**
 * Gradient descent with optional heavy-ball momentum, in PyTorch's form (no dampening):
 *
 * <pre>
 *   b = mu b + g        (b starts at 0, so the first step is plain gradient descent)
 *   w = w - lr b
 * </pre>
 *
 * With momentum 0 no buffer is kept: {@code w = w - lr g}, as TensorFlow's fused {@code
 * ApplyGradientDescent} kernel (one op, the same arithmetic) unless {@link #unfused} asks for the
 * op-by-op form.
 */
public final class Sgd extends Optimizer {
  private final double momentum;
  private final boolean fused;

  public Sgd(double momentum) {
    this(momentum, true);
  }

  private Sgd(double momentum, boolean fused) {
    Preconditions.checkArgument(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got %s", momentum);
    this.momentum = momentum;
    this.fused = fused;
  }

  /** Plain gradient descent built op by op (sub, mul, assign), as before the fused kernel. */
  public static Sgd unfused() {
    return new Sgd(0, false);
  }

  /** Plain gradient descent. */
  public static Sgd plain() {
    return new Sgd(0);
  }

  @Override
  public String name() {
    return "sgd";
  }

  @Override
  protected <T extends TFloating> Op update(Ops tf, Variable<T> w, Operand<T> g, Operand<T> lr) {
    if (momentum == 0) {
      return fused ? tf.train.applyGradientDescent(w, lr, g) : tf.assign(w, tf.math.sub(tf.identity(w), tf.math.mul(lr, g)));
    }
    Variable<T> buffer = slot(tf, w, "momentum");
    Operand<T> b = tf.math.add(tf.math.mul(constant(tf, momentum, w.type()), tf.identity(buffer)), g);
    return tf.withControlDependencies(java.util.List.of(tf.assign(buffer, b)))
        .assign(w, tf.math.sub(tf.identity(w), tf.math.mul(lr, b)));
  }
}
