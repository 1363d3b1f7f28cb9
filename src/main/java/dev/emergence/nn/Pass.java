package dev.emergence.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One forward pass being built: the batch and time sizes (scalars, constant-folded by TensorFlow when
 * the input shape is static), optional dropout and optional probes. The residual stream of a pass is
 * kept as rows {@code [batch * time, d]} so every projection is one plain MatMul.
 */
public final class Pass {
  final Ops tf;
  final Operand<TInt32> batch;
  final Operand<TInt32> time;
  private final double dropout;
  private final long seed;
  private long dropoutOps;
  private final Map<String, Operand<TFloat32>> probes;

  private Pass(Ops tf, Operand<TInt32> ids, double dropout, long seed, boolean probe) {
    this.tf = tf;
    Operand<TInt32> shape = tf.shape(ids);
    this.batch = tf.gather(shape, tf.constant(0), tf.constant(0));
    this.time = tf.gather(shape, tf.constant(1), tf.constant(0));
    this.dropout = dropout;
    this.seed = seed;
    this.probes = probe ? new LinkedHashMap<>() : null;
  }

  /** A training pass; dropout (if positive) draws from random ops seeded by {@code seed}. */
  public static Pass training(Ops tf, Operand<TInt32> ids, double dropout, long seed) {
    return new Pass(tf, ids, dropout, seed, false);
  }

  /** A deterministic pass (no dropout); with {@code probe} it records named intermediate tensors. */
  public static Pass inference(Ops tf, Operand<TInt32> ids, boolean probe) {
    return new Pass(tf, ids, 0, 0, probe);
  }

  /** Zeroes entries with the dropout probability and rescales the rest; identity without dropout. */
  Operand<TFloat32> dropout(Operand<TFloat32> x) {
    if (dropout <= 0) {
      return x;
    }
    Operand<TFloat32> u =
        tf.random.randomUniform(
            tf.shape(x), TFloat32.class, RandomUniform.seed(seed), RandomUniform.seed2(++dropoutOps));
    Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(u, tf.constant((float) dropout)), TFloat32.class);
    return tf.math.mul(x, tf.math.mul(keep, tf.constant((float) (1 / (1 - dropout)))));
  }

  /** A shape vector from scalars and constants ({@code Integer} or an int32 scalar operand). */
  Operand<TInt32> shape(Object... dims) {
    List<Operand<TInt32>> parts = new java.util.ArrayList<>();
    for (Object dim : dims) {
      @SuppressWarnings("unchecked")
      Operand<TInt32> part = dim instanceof Integer i ? tf.constant(i) : (Operand<TInt32>) dim;
      parts.add(part);
    }
    return tf.stack(parts);
  }

  boolean probing() {
    return probes != null;
  }

  /** Records a tensor as {@code probe.<name>} (rows {@code [b*t, d]} are reshaped to {@code [b, t, d]}). */
  void probe(String name, Operand<TFloat32> value, boolean rows, int dim) {
    if (probes == null) {
      return;
    }
    Operand<TFloat32> shaped = rows ? tf.reshape(value, shape(batch, time, dim)) : value;
    probes.put(name, tf.withName("probe." + name).identity(shaped));
  }

  /** The recorded probes, in the order they were built (empty unless probing). */
  public Map<String, Operand<TFloat32>> probes() {
    return probes == null ? Map.of() : probes;
  }
}
