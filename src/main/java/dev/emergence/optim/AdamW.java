package dev.emergence.optim;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * AdamW for a stack of K models whose float32 variables carry a leading model axis {@code [K, ...]}
 * (K = 1 for a model trained alone). The learning rate given to {@link #minimize} is a vector
 * {@code [K]} (each member its own schedule), the bias-correction powers are vectors, and a member
 * whose {@code active} entry is 0 does not change at all (weights, moments and powers stay as they
 * are: an early stop). For an active member each step is, op for op, what TensorFlow's {@code
 * ApplyAdam} computes: {@code m += (g - m)(1 - b1)}, {@code v += (g^2 - v)(1 - b2)}, {@code w -= m
 * alpha / (sqrt(v) + eps')} with {@code alpha = lr sqrt(1 - b2^t) / (1 - b1^t)} and {@code eps' =
 * eps sqrt(1 - b2^t)}, which is PyTorch's AdamW ({@link Adam} with a decay); decoupled decay {@code
 * w *= 1 - lr wd} comes first, on the variables whose member shape {@link AdamWConfig#decayed}
 * selects.
 */
public final class AdamW extends Optimizer {
  private final AdamWConfig config;
  private final int models;
  private final Operand<TFloat32> active;
  private Variable<TFloat32> beta1Power;
  private Variable<TFloat32> beta2Power;
  private Map<String, Operand<TFloat32>> vectors;
  private final Map<String, Operand<TFloat32>> shaped = new HashMap<>();

  /**
   * {@code active}: float {@code [models]}, 1 for members that train this step, 0 for stopped ones.
   */
  public AdamW(AdamWConfig config, int models, Operand<TFloat32> active) {
    this.config = config;
    this.models = models;
    this.active = active;
  }

  @Override
  public String name() {
    return "adamw";
  }

  /** The variables holding b1^t and b2^t per member ({@code [K]}). */
  public List<Variable<TFloat32>> powers() {
    return List.of(beta1Power, beta2Power);
  }

  /**
   * Per-member factors, computed once per step (in float32, in the order ApplyAdam computes them).
   */
  private Map<String, Operand<TFloat32>> vectors(Ops tf, Operand<TFloat32> lr) {
    if (vectors == null) {
      float[] b1 = new float[models];
      float[] b2 = new float[models];
      Arrays.fill(b1, (float) config.beta1());
      Arrays.fill(b2, (float) config.beta2());
      beta1Power = variable(tf, "beta1_power", b1);
      beta2Power = variable(tf, "beta2_power", b2);
      Operand<TFloat32> one = tf.constant(1f);
      Operand<TFloat32> lrActive = tf.math.mul(lr, active);
      Operand<TFloat32> root2 = tf.math.sqrt(tf.math.sub(one, tf.identity(beta2Power)));
      vectors = new HashMap<>();
      vectors.put(
          "alpha",
          tf.math.div(tf.math.mul(lrActive, root2), tf.math.sub(one, tf.identity(beta1Power))));
      vectors.put("eps", tf.math.mul(tf.constant((float) config.epsilon()), root2));
      vectors.put("c1", tf.math.mul(active, tf.constant(1f - (float) config.beta1())));
      vectors.put("c2", tf.math.mul(active, tf.constant(1f - (float) config.beta2())));
      vectors.put(
          "decay",
          tf.math.sub(one, tf.math.mul(lrActive, tf.constant((float) config.weightDecay()))));
    }
    return vectors;
  }

  /**
   * A per-member vector reshaped to broadcast over a variable of {@code rank} dimensions: {@code
   * [K, 1, ...]}.
   */
  private Operand<TFloat32> along(Ops tf, String name, int rank) {
    return shaped.computeIfAbsent(
        name + rank,
        key -> {
          int[] shape = new int[rank];
          Arrays.fill(shape, 1);
          shape[0] = models;
          return tf.reshape(vectors.get(name), tf.constant(shape));
        });
  }

  @Override
  @SuppressWarnings("unchecked")
  protected <T extends TFloating> Op update(
      Ops tf, Variable<T> variable, Operand<T> gradient, Operand<T> learningRate) {
    Variable<TFloat32> w = (Variable<TFloat32>) variable;
    Operand<TFloat32> g = (Operand<TFloat32>) gradient;
    vectors(tf, (Operand<TFloat32>) learningRate);
    int rank = w.shape().numDimensions();
    Variable<TFloat32> m = slot(tf, w, "m");
    Variable<TFloat32> v = slot(tf, w, "v");
    Operand<TFloat32> oldM = tf.identity(m);
    Operand<TFloat32> oldV = tf.identity(v);
    Operand<TFloat32> newM =
        tf.math.add(oldM, tf.math.mul(tf.math.sub(g, oldM), along(tf, "c1", rank)));
    Operand<TFloat32> newV =
        tf.math.add(oldV, tf.math.mul(tf.math.sub(tf.math.square(g), oldV), along(tf, "c2", rank)));
    Operand<TFloat32> current = tf.identity(w);
    if (config.weightDecay() > 0 && config.decayed().test(member(w.shape()))) {
      current = tf.math.mul(current, along(tf, "decay", rank));
    }
    Operand<TFloat32> step =
        tf.math.div(
            tf.math.mul(newM, along(tf, "alpha", rank)),
            tf.math.add(tf.math.sqrt(newV), along(tf, "eps", rank)));
    return tf.withControlDependencies(List.of(tf.assign(m, newM), tf.assign(v, newV)))
        .assign(w, tf.math.sub(current, step));
  }

  /** A member's shape: the variable's without the model axis. */
  private static Shape member(Shape stacked) {
    return Shape.of(Arrays.copyOfRange(stacked.asArray(), 1, stacked.numDimensions()));
  }

  @Override
  protected <T extends TFloating> List<Op> finish(Ops tf, Class<T> type) {
    Operand<TBool> on = tf.math.greater(active, tf.constant(0f));
    return List.of(
        tf.assign(
            beta1Power,
            tf.select(
                on,
                tf.math.mul(tf.identity(beta1Power), tf.constant((float) config.beta1())),
                tf.identity(beta1Power))),
        tf.assign(
            beta2Power,
            tf.select(
                on,
                tf.math.mul(tf.identity(beta2Power), tf.constant((float) config.beta2())),
                tf.identity(beta2Power))));
  }
}
