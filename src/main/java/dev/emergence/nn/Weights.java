package dev.emergence.nn;

import com.google.common.base.Preconditions;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.framework.initializers.Constant;
import org.tensorflow.framework.initializers.RandomNormal;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The variables of K models of one shape, created with tensorflow-framework's initializers and kept
 * in creation order; every read has a leading model axis {@code [K, ...]}. Names are flat and
 * dotted ({@code h0.attn.qkv.w}, never '/'), the same for every K.
 *
 * <p>Two layouts. <b>Stacked</b> (training): a variable of member shape {@code [d, 3d]} is {@code
 * [K, d, 3d]}. <b>Member</b> (a SavedModel): one model's variable in its own shape, read as a stack
 * of one.
 *
 * <p>TensorFlow has no graph-level seed here, so each random variable of member k gets a stateless
 * normal initializer whose seed is a hash of {@code seeds[k]} and the variable's name: the same
 * names and seed give the same weights in every process, and member k of any stack starts bit for
 * bit where the model of seed {@code seeds[k]} trained alone starts.
 */
public final class Weights {
  private final Ops tf;
  private final long[] seeds;
  private final boolean stacked;
  private final List<Variable<TFloat32>> variables = new ArrayList<>();

  private Weights(Ops tf, long[] seeds, boolean stacked) {
    Preconditions.checkArgument(seeds.length >= 1, "a stack needs at least one model");
    this.tf = tf;
    this.seeds = seeds.clone();
    this.stacked = stacked;
  }

  /**
   * The weights of a stack: member k seeded by {@code seeds[k]}, every variable {@code [K, ...]}.
   */
  public static Weights stacked(Ops tf, long[] seeds) {
    return new Weights(tf, seeds, true);
  }

  /** One model's weights in their own shapes (a stack of one when read), seeded by {@code seed}. */
  public static Weights member(Ops tf, long seed) {
    return new Weights(tf, new long[] {seed}, false);
  }

  /** K: the models these weights hold. */
  public int models() {
    return seeds.length;
  }

  /**
   * Member k's entries Normal(0, std), from a stateless generator seeded by its seed and the name.
   */
  public Variable<TFloat32> normal(String name, double std, long... shape) {
    Ops init = tf.withInitScope();
    List<Operand<TFloat32>> slices = new ArrayList<>();
    for (long seed : seeds) {
      slices.add(
          new RandomNormal<TFloat32>(0, std, seedOf(seed, name))
              .call(init, init.constant(shape), TFloat32.class));
    }
    return add(name, stacked ? init.stack(slices) : slices.get(0));
  }

  public Variable<TFloat32> constant(String name, float value, long... shape) {
    Ops init = tf.withInitScope();
    return add(
        name,
        new Constant<TFloat32>(value)
            .call(init, init.constant(stacked ? withModels(shape) : shape), TFloat32.class));
  }

  private Variable<TFloat32> add(String name, Operand<TFloat32> initial) {
    Variable<TFloat32> variable = tf.withInitScope().withName(name).variable(initial);
    variables.add(variable);
    return variable;
  }

  private long[] withModels(long[] shape) {
    long[] out = new long[shape.length + 1];
    out[0] = seeds.length;
    System.arraycopy(shape, 0, out, 1, shape.length);
    return out;
  }

  /** The seed of variable {@code name} in the model of seed {@code seed}. */
  static long seedOf(long seed, String name) {
    return Hashing.murmur3_128()
        .newHasher()
        .putLong(seed)
        .putString(name, StandardCharsets.UTF_8)
        .hash()
        .asLong();
  }

  /** Every variable created so far, in creation order. */
  public List<Variable<TFloat32>> variables() {
    return Collections.unmodifiableList(variables);
  }

  /**
   * A variable's value with the model axis in front, {@code [K, ...member shape]}, for use in ops.
   */
  public Operand<TFloat32> read(Ops ops, Variable<TFloat32> variable) {
    Operand<TFloat32> value = ops.identity(variable);
    return stacked ? value : ops.expandDims(value, ops.constant(0));
  }
}
