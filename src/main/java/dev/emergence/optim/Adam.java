package dev.emergence.optim;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TFloating;

/**
 * Adam (Kingma and Ba) in PyTorch's form, op by op, for variables of any floating type; with a
 * weight decay in its config it is PyTorch's AdamW (decoupled decay, Loshchilov and Hutter):
 *
 * <pre>
 *   w  = w * (1 - lr * wd)                      (only where decay applies)
 *   m  = b1 m + (1 - b1) g,   v = b2 v + (1 - b2) g^2
 *   w  = w - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 *
 * The powers b1^t and b2^t live in variables advanced only after every parameter update, which the
 * framework's Adam does not order, so two runs with one seed are bit-identical. The reference that
 * {@link FusedAdamW} and {@link AdamW} are tested against.
 */
public final class Adam extends AbstractAdamW {
  public Adam(AdamWConfig config) {
    super(config);
  }

  public static Adam create(double beta1, double beta2, double epsilon) {
    return new Adam(AdamWConfig.adam().withBetas(beta1, beta2).withEpsilon(epsilon));
  }

  /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no decay. */
  public static Adam defaults() {
    return new Adam(AdamWConfig.adam());
  }

  @Override
  protected <T extends TFloating> Op update(Ops tf, Variable<T> w, Operand<T> g, Operand<T> lr) {
    Class<T> type = w.type();
    Variable<T>[] p = powers(tf, type);
    Operand<T> one = constant(tf, 1, type);
    Operand<T> b1 = constant(tf, config.beta1(), type);
    Operand<T> b2 = constant(tf, config.beta2(), type);
    Variable<T> m = slot(tf, w, "m");
    Variable<T> v = slot(tf, w, "v");

    Operand<T> newM =
        tf.math.add(tf.math.mul(b1, tf.identity(m)), tf.math.mul(tf.math.sub(one, b1), g));
    Operand<T> newV =
        tf.math.add(
            tf.math.mul(b2, tf.identity(v)), tf.math.mul(tf.math.sub(one, b2), tf.math.square(g)));
    Operand<T> correction1 = tf.math.sub(one, tf.identity(p[0]));
    Operand<T> correction2 = tf.math.sub(one, tf.identity(p[1]));
    Operand<T> denominator =
        tf.math.add(
            tf.math.div(tf.math.sqrt(newV), tf.math.sqrt(correction2)),
            constant(tf, config.epsilon(), type));
    Operand<T> step = tf.math.mul(tf.math.div(lr, correction1), tf.math.div(newM, denominator));
    Operand<T> current = tf.identity(w);
    if (config.weightDecay() > 0 && config.decayed().test(w.shape())) {
      current =
          tf.math.mul(
              current, tf.math.sub(one, tf.math.mul(lr, constant(tf, config.weightDecay(), type))));
    }
    return tf.withControlDependencies(List.of(tf.assign(m, newM), tf.assign(v, newV)))
        .assign(w, tf.math.sub(current, step));
  }
}
