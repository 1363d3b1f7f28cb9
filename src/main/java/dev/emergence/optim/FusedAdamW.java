package dev.emergence.optim;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TFloating;

/**
 * {@link Adam} with a decay (PyTorch's AdamW), but each variable's update is TensorFlow's fused
 * {@code ApplyAdam} kernel (one op instead of about fifteen; a small model's step is dominated by
 * per-op overhead). ApplyAdam computes {@code w -= lr sqrt(1-b2^t)/(1-b1^t) m / (sqrt(v) + eps')};
 * feeding {@code eps' = eps sqrt(1-b2^t)} makes that exactly PyTorch's {@code lr/(1-b1^t) m /
 * (sqrt(v)/sqrt(1-b2^t) + eps)}. Decoupled weight decay {@code w *= 1 - lr wd} is applied first, as
 * in PyTorch. The beta powers advance after every update, so runs are bit-identical.
 */
public final class FusedAdamW extends AbstractAdamW {
  private final Map<Class<?>, Operand<?>> epsilons = new HashMap<>();

  public FusedAdamW(AdamWConfig config) {
    super(config);
  }

  @Override
  @SuppressWarnings("unchecked")
  protected <T extends TFloating> Op update(Ops tf, Variable<T> w, Operand<T> g, Operand<T> lr) {
    Class<T> type = w.type();
    Variable<T>[] p = powers(tf, type);
    Operand<T> epsilon =
        (Operand<T>)
            epsilons.computeIfAbsent(
                type,
                t ->
                    tf.math.mul(
                        constant(tf, config.epsilon(), type),
                        tf.math.sqrt(tf.math.sub(constant(tf, 1, type), tf.identity(p[1])))));
    Variable<T> m = slot(tf, w, "m");
    Variable<T> v = slot(tf, w, "v");
    Ops ordered = tf;
    if (config.weightDecay() > 0 && config.decayed().test(w.shape())) {
      Operand<T> factor =
          tf.math.sub(
              constant(tf, 1, type), tf.math.mul(lr, constant(tf, config.weightDecay(), type)));
      ordered =
          tf.withControlDependencies(List.of(tf.assign(w, tf.math.mul(tf.identity(w), factor))));
    }
    return ordered.train.applyAdam(
        w,
        m,
        v,
        ordered.identity(p[0]),
        ordered.identity(p[1]),
        lr,
        constant(ordered, config.beta1(), type),
        constant(ordered, config.beta2(), type),
        epsilon,
        g);
  }
}
