package dev.emergence.optim;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TFloating;

/**
 * What {@link Adam} and {@link FusedAdamW} share: the hyperparameters and the bias-correction
 * powers b1^t and b2^t, one pair per floating type, advanced only after every parameter update.
 */
abstract class AbstractAdamW extends Optimizer {
  protected final AdamWConfig config;
  private final Map<Class<?>, Variable<?>[]> powers = new HashMap<>();

  AbstractAdamW(AdamWConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "adamw";
  }

  @Override
  protected final <T extends TFloating> List<Op> finish(Ops tf, Class<T> type) {
    Variable<T>[] p = powers(tf, type);
    return List.of(
        tf.assign(p[0], tf.math.mul(tf.identity(p[0]), constant(tf, config.beta1(), type))),
        tf.assign(p[1], tf.math.mul(tf.identity(p[1]), constant(tf, config.beta2(), type))));
  }

  /** The variables holding b1^t and b2^t for this type (starting at b1 and b2: step t = 1). */
  @SuppressWarnings("unchecked")
  protected final <T extends TFloating> Variable<T>[] powers(Ops tf, Class<T> type) {
    return (Variable<T>[])
        powers.computeIfAbsent(
            type,
            t ->
                new Variable<?>[] {
                  scalar(tf, "beta1_power", config.beta1(), type),
                  scalar(tf, "beta2_power", config.beta2(), type)
                });
  }
}
