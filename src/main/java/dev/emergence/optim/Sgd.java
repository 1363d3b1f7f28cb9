package dev.emergence.optim;

import com.google.common.base.Preconditions;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyMomentum;
import org.tensorflow.types.family.TFloating;

/**
 * Gradient descent with optional heavy-ball or Nesterov momentum, in PyTorch's form (no dampening):
 *
 * <pre>
 *   b = mu b + g        (b starts at 0, so the first step is plain gradient descent)
 *   w = w - lr b              (heavy ball)
 *   w = w - lr (g + mu b)     (Nesterov: the parameters are the look-ahead point)
 * </pre>
 *
 * With momentum 0 no buffer is kept: {@code w = w - lr g}, as TensorFlow's fused {@code
 * ApplyGradientDescent} kernel (one op, the same arithmetic) unless {@link #unfused} asks for the
 * op-by-op form. Nesterov's form is TensorFlow's fused {@code ApplyMomentum} with {@code
 * use_nesterov} (the same arithmetic), or op by op.
 */
public final class Sgd extends Optimizer {
  private final double momentum;
  private final boolean nesterov;
  private final boolean fused;

  public Sgd(double momentum) {
    this(momentum, false, true);
  }

  private Sgd(double momentum, boolean nesterov, boolean fused) {
    Preconditions.checkArgument(
        momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got %s", momentum);
    Preconditions.checkArgument(
        !nesterov || momentum > 0, "Nesterov momentum must be positive, got %s", momentum);
    this.momentum = momentum;
    this.nesterov = nesterov;
    this.fused = fused;
  }

  /** Plain gradient descent built op by op (sub, mul, assign), as before the fused kernel. */
  public static Sgd unfused() {
    return new Sgd(0, false, false);
  }

  /** Plain gradient descent. */
  public static Sgd plain() {
    return new Sgd(0);
  }

  /** Nesterov momentum {@code mu}; {@code fused}: one {@code ApplyMomentum} kernel per variable. */
  public static Sgd nesterov(double mu, boolean fused) {
    return new Sgd(mu, true, fused);
  }

  @Override
  public String name() {
    return nesterov ? "nesterov" : "sgd";
  }

  @Override
  protected <T extends TFloating> Op update(Ops tf, Variable<T> w, Operand<T> g, Operand<T> lr) {
    if (momentum == 0) {
      return fused
          ? tf.train.applyGradientDescent(w, lr, g)
          : tf.assign(w, tf.math.sub(tf.identity(w), tf.math.mul(lr, g)));
    }
    Variable<T> buffer = slot(tf, w, "momentum");
    Operand<T> mu = constant(tf, momentum, w.type());
    if (nesterov && fused) {
      return tf.train.applyMomentum(w, buffer, lr, g, mu, ApplyMomentum.useNesterov(true));
    }
    Operand<T> b = tf.math.add(tf.math.mul(mu, tf.identity(buffer)), g);
    Operand<T> direction = nesterov ? tf.math.add(g, tf.math.mul(mu, b)) : b;
    return tf.withControlDependencies(java.util.List.of(tf.assign(buffer, b)))
        .assign(w, tf.math.sub(tf.identity(w), tf.math.mul(lr, direction)));
  }
}
