package dev.emergence.nn;

import com.google.common.hash.Hashing;
import dev.emergence.session.Scopes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.framework.initializers.Constant;
import org.tensorflow.framework.initializers.Initializer;
import org.tensorflow.framework.initializers.RandomNormal;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Creates the variables of a model with tensorflow-framework's initializers, and remembers them in
 * creation order. TensorFlow has no graph-level seed here, so each random variable gets a stateless
 * normal initializer whose seed is a hash of the run seed and the variable's name: the same names and
 * seed give the same weights in every process. Names are flat and dotted ({@code h0.attn.qkv.w});
 * never '/'.
 *
 * <p>An optional scope prefixes every name ({@code m3.h0.attn.qkv.w}), so several models can live in
 * one graph. The scope only names things: seeds come from the unscoped name, so a model built under
 * any scope with seed s has exactly the weights of the same model built alone with seed s.
 */
public final class Weights {
  private final Ops tf;
  private final long seed;
  private final String scope;
  private final List<Variable<TFloat32>> variables = new ArrayList<>();

  public Weights(Ops tf, long seed) {
    this(tf, seed, "");
  }

  /** Weights whose names start with {@code scope.}; an empty scope leaves names as they are. */
  public Weights(Ops tf, long seed, String scope) {
    this.tf = tf;
    this.seed = seed;
    this.scope = Scopes.check(scope);
  }

  public Ops tf() {
    return tf;
  }

  /** Normal(0, std) entries, from a stateless generator seeded by the run seed and the unscoped name. */
  public Variable<TFloat32> normal(String name, double std, long... shape) {
    return add(name, new RandomNormal<TFloat32>(0, std, seedOf(name)), shape);
  }

  public Variable<TFloat32> constant(String name, float value, long... shape) {
    return add(name, new Constant<TFloat32>(value), shape);
  }

  private Variable<TFloat32> add(String name, Initializer<TFloat32> initializer, long... shape) {
    Ops init = tf.withInitScope();
    Operand<TFloat32> initial = initializer.call(init, init.constant(shape), TFloat32.class);
    Variable<TFloat32> variable = init.withName(Scopes.name(scope, name)).variable(initial);
    variables.add(variable);
    return variable;
  }

  /** A per-variable seed: the run seed and the unscoped name, hashed. */
  private long seedOf(String name) {
    return seedOf(seed, name);
  }

  /** The seed of variable {@code name} (unscoped) in a model of run seed {@code seed}; stacks use it too. */
  static long seedOf(long seed, String name) {
    return Hashing.murmur3_128().newHasher().putLong(seed).putString(name, StandardCharsets.UTF_8).hash().asLong();
  }

  /** Every variable created so far, in creation order. */
  public List<Variable<TFloat32>> variables() {
    return Collections.unmodifiableList(variables);
  }

  /** Reads a variable for use in ops (variables are reference-typed; several gradients need a plain value). */
  public static Operand<TFloat32> read(Ops tf, Variable<TFloat32> variable) {
    return tf.identity(variable);
  }
}
