package dev.emergence.train;

import dev.emergence.optim.AdamWConfig;
import dev.emergence.optim.FusedAdamW;
import dev.emergence.optim.Optimizer;
import dev.emergence.session.Scopes;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * {@link FusedAdamW} for stacked variables {@code [K, ...]}: the learning rate is a vector {@code [K]}
 * (each member its own schedule), the bias-correction powers are vectors, and a member whose {@code
 * active} entry is 0 does not change at all (weights, moments and powers stay as they are: an early
 * stop). For an active member each step is, op for op, what {@code ApplyAdam} computes for the single
 * model: {@code m += (g - m)(1 - b1)}, {@code v += (g^2 - v)(1 - b2)}, {@code w -= m alpha / (sqrt(v) +
 * eps')} with {@code alpha = lr sqrt(1 - b2^t) / (1 - b1^t)} and {@code eps' = eps sqrt(1 - b2^t)},
 * after decoupled decay {@code w *= 1 - lr wd} on matrices (member rank at least 2).
 */
public final class StackedAdamW extends Optimizer {
  private final AdamWConfig config;
  private final int models;
  private final Operand<TFloat32> active;
  private String scope = "";
  private Variable<TFloat32> beta1Power;
  private Variable<TFloat32> beta2Power;
  private Map<String, Operand<TFloat32>> vectors;
  private final Map<String, Operand<TFloat32>> shaped = new HashMap<>();

  /** {@code active}: float {@code [models]}, 1 for members that train this step, 0 for stopped ones. */
  public StackedAdamW(AdamWConfig config, int models, Operand<TFloat32> active) {
    this.config = config;
    this.models = models;
    this.active = active;
  }

  @Override
  public StackedAdamW inScope(String name) {
    super.inScope(name);
    this.scope = Scopes.check(name);
    return this;
  }

  @Override
  public String name() {
    return "adamw";
  }

  /** The variables holding b1^t and b2^t per member ({@code [K]}). */
  public List<Variable<TFloat32>> powers() {
    return List.of(beta1Power, beta2Power);
  }

  private Variable<TFloat32> power(Ops tf, String name, double beta) {
    Ops init = tf.withInitScope();
    float[] initial = new float[models];
    Arrays.fill(initial, (float) beta);
    return init.withName(Scopes.name(scope, name() + "." + name)).variable(init.constant(initial));
  }

  /** Per-member factors, computed once per step (in float32, in the order ApplyAdam computes them). */
  private Map<String, Operand<TFloat32>> vectors(Ops tf, Operand<TFloat32> lr) {
    if (vectors == null) {
      beta1Power = power(tf, "beta1_power", config.beta1());
      beta2Power = power(tf, "beta2_power", config.beta2());
      Operand<TFloat32> one = tf.constant(1f);
      Operand<TFloat32> lrActive = tf.math.mul(lr, active);
      Operand<TFloat32> root2 = tf.math.sqrt(tf.math.sub(one, tf.identity(beta2Power)));
      vectors = new HashMap<>();
      vectors.put("alpha", tf.math.div(tf.math.mul(lrActive, root2), tf.math.sub(one, tf.identity(beta1Power))));
      vectors.put("eps", tf.math.mul(tf.constant((float) config.epsilon()), root2));
      vectors.put("c1", tf.math.mul(active, tf.constant(1f - (float) config.beta1())));
      vectors.put("c2", tf.math.mul(active, tf.constant(1f - (float) config.beta2())));
      vectors.put("decay", tf.math.sub(one, tf.math.mul(lrActive, tf.constant((float) config.weightDecay()))));
    }
    return vectors;
  }

  /** A per-member vector reshaped to broadcast over a variable of {@code rank} dimensions: {@code [K, 1, ...]}. */
  private Operand<TFloat32> along(Ops tf, String name, int rank) {
    return shaped.computeIfAbsent(name + rank, key -> {
      int[] shape = new int[rank];
      Arrays.fill(shape, 1);
      shape[0] = models;
      return tf.reshape(vectors.get(name), tf.constant(shape));
    });
  }

  @Override
  @SuppressWarnings("unchecked")
  protected <T extends TFloating> Op update(Ops tf, Variable<T> variable, Operand<T> gradient, Operand<T> learningRate) {
    Variable<TFloat32> w = (Variable<TFloat32>) variable;
    Operand<TFloat32> g = (Operand<TFloat32>) gradient;
    vectors(tf, (Operand<TFloat32>) learningRate);
    int rank = w.shape().numDimensions();
    Variable<TFloat32> m = slot(tf, w, "m");
    Variable<TFloat32> v = slot(tf, w, "v");
    Operand<TFloat32> oldM = tf.identity(m);
    Operand<TFloat32> oldV = tf.identity(v);
    Operand<TFloat32> newM = tf.math.add(oldM, tf.math.mul(tf.math.sub(g, oldM), along(tf, "c1", rank)));
    Operand<TFloat32> newV = tf.math.add(oldV, tf.math.mul(tf.math.sub(tf.math.square(g), oldV), along(tf, "c2", rank)));
    Operand<TFloat32> current = tf.identity(w);
    if (config.weightDecay() > 0 && rank - 1 >= 2) {
      current = tf.math.mul(current, along(tf, "decay", rank));
    }
    Operand<TFloat32> step =
        tf.math.div(tf.math.mul(newM, along(tf, "alpha", rank)), tf.math.add(tf.math.sqrt(newV), along(tf, "eps", rank)));
    return tf.withControlDependencies(List.of(tf.assign(m, newM), tf.assign(v, newV))).assign(w, tf.math.sub(current, step));
  }

  @Override
  @SuppressWarnings("unchecked")
  protected <T extends TFloating> List<Op> finish(Ops tf, Class<T> type) {
    Operand<org.tensorflow.types.TBool> on = tf.math.greater(active, tf.constant(0f));
    return List.of(
        tf.assign(beta1Power, tf.select(on, tf.math.mul(tf.identity(beta1Power), tf.constant((float) config.beta1())), tf.identity(beta1Power))),
        tf.assign(beta2Power, tf.select(on, tf.math.mul(tf.identity(beta2Power), tf.constant((float) config.beta2())), tf.identity(beta2Power))));
  }
}
