package dev.emergence.nn;

import com.google.common.base.Preconditions;
import dev.emergence.session.Scopes;
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
 * The variables of K models of one shape, each with a leading model axis: a variable named {@code
 * h0.attn.qkv.w} of member shape {@code [d, 3d]} is {@code [K, d, 3d]}. Slice k is drawn by exactly the
 * initializer {@link Weights} gives the single model of seed {@code seeds[k]} (same stateless normal,
 * same per-variable seed), so member k starts bit for bit where that model starts.
 */
public final class StackedWeights {
  private final Ops tf;
  private final long[] seeds;
  private final String scope;
  private final List<Variable<TFloat32>> variables = new ArrayList<>();
  private final List<String> names = new ArrayList<>();

  public StackedWeights(Ops tf, long[] seeds, String scope) {
    Preconditions.checkArgument(seeds.length >= 1, "a stack needs at least one model");
    this.tf = tf;
    this.seeds = seeds.clone();
    this.scope = Scopes.check(scope);
  }

  public int models() {
    return seeds.length;
  }

  /** Member k's slice: the single model's Normal(0, std) draw for seed k and this name. */
  public Variable<TFloat32> normal(String name, double std, long... shape) {
    Ops init = tf.withInitScope();
    List<Operand<TFloat32>> slices = new ArrayList<>();
    for (long seed : seeds) {
      slices.add(new RandomNormal<TFloat32>(0, std, Weights.seedOf(seed, name)).call(init, init.constant(shape), TFloat32.class));
    }
    return add(name, init.stack(slices));
  }

  public Variable<TFloat32> constant(String name, float value, long... shape) {
    Ops init = tf.withInitScope();
    return add(name, new Constant<TFloat32>(value).call(init, init.constant(stacked(shape)), TFloat32.class));
  }

  private Variable<TFloat32> add(String name, Operand<TFloat32> initial) {
    Variable<TFloat32> variable = tf.withInitScope().withName(Scopes.name(scope, name)).variable(initial);
    variables.add(variable);
    names.add(name);
    return variable;
  }

  private long[] stacked(long[] shape) {
    long[] out = new long[shape.length + 1];
    out[0] = seeds.length;
    System.arraycopy(shape, 0, out, 1, shape.length);
    return out;
  }

  /** Every variable, in the single model's creation order. */
  public List<Variable<TFloat32>> variables() {
    return Collections.unmodifiableList(variables);
  }

  /** The unscoped member names ({@code wte}, {@code h0.ln1.g}, ...), in the same order. */
  public List<String> names() {
    return Collections.unmodifiableList(names);
  }
}
