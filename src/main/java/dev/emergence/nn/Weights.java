package dev.emergence.nn;

import dev.emergence.session.Scopes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.random.RandomStandardNormal;
import org.tensorflow.types.TFloat32;

/**
 * Creates the variables of a model, each with its own seeded initializer, and remembers them in
 * creation order. TensorFlow has no graph-level seed here, so every random op gets {@code seed} = the
 * run seed and {@code seed2} derived from the variable's name: the same names and seed give the same
 * weights in every process. Names are flat and dotted ({@code h0.attn.qkv.w}); never '/'.
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

  /** Normal(0, std) entries. */
  public Variable<TFloat32> normal(String name, double std, long... shape) {
    Ops init = tf.withInitScope();
    long seed2 = (name.hashCode() & 0x7fffffffL) + 1; // seed and seed2 both 0 would mean "random"
    Operand<TFloat32> noise =
        init.random.randomStandardNormal(
            init.constant(shape), TFloat32.class, RandomStandardNormal.seed(seed), RandomStandardNormal.seed2(seed2));
    return add(name, init.math.mul(noise, init.constant((float) std)));
  }

  public Variable<TFloat32> constant(String name, float value, long... shape) {
    Ops init = tf.withInitScope();
    return add(name, init.fill(init.constant(shape), init.constant(value)));
  }

  private Variable<TFloat32> add(String name, Operand<TFloat32> initial) {
    Variable<TFloat32> variable = tf.withInitScope().withName(Scopes.name(scope, name)).variable(initial);
    variables.add(variable);
    return variable;
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
