package dev.emergence.optim;

import com.google.common.base.Preconditions;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TFloating;

/**
 * Gradient descent with a fixed diagonal preconditioner: {@code w = w - lr p * g}, p elementwise.
 * With p the inverse of a Hessian's diagonal this is Jacobi-preconditioned (diagonally scaled)
 * gradient descent; one vector variable of p's length only. Fused: TensorFlow's {@code
 * ApplyGradientDescent} on {@code p * g}.
 */
public final class Jacobi extends Optimizer {
  private final double[] scale;
  private final boolean fused;

  /**
   * @param scale the preconditioner's diagonal p, each entry positive and finite
   */
  public Jacobi(double[] scale, boolean fused) {
    Preconditions.checkArgument(scale.length > 0, "the preconditioner is empty");
    Preconditions.checkArgument(
        Arrays.stream(scale).allMatch(p -> p > 0 && Double.isFinite(p)),
        "the preconditioner's entries must be positive and finite");
    this.scale = scale.clone();
    this.fused = fused;
  }

  @Override
  public String name() {
    return "jacobi";
  }

  @Override
  protected <T extends TFloating> Op update(Ops tf, Variable<T> w, Operand<T> g, Operand<T> lr) {
    long[] shape = w.shape().asArray();
    Preconditions.checkArgument(
        shape.length == 1 && shape[0] == scale.length,
        "jacobi preconditions one vector of %s entries, got a variable of shape %s",
        scale.length,
        Arrays.toString(shape));
    Operand<T> step = tf.math.mul(tf.dtypes.cast(tf.constant(scale), w.type()), g); // [n]
    return fused
        ? tf.train.applyGradientDescent(w, lr, step)
        : tf.assign(w, tf.math.sub(tf.identity(w), tf.math.mul(lr, step)));
  }
}
