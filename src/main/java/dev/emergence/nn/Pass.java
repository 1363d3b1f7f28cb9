package dev.emergence.nn;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One forward pass of K models being built: the sizes K, B (rows per model) and T (tokens per row),
 * and what the pass does besides the logits: dropout, probes, the answer-only {@link Selection}.
 * The residual stream of a pass is kept as rows {@code [K, B*T, d]}, so every projection is one
 * batched product over the models. B and T are ints in a training graph and read from the input's
 * shape in a serving graph; shapes built from ints are constants, exactly as they would be written
 * by hand.
 */
public final class Pass {
  final Ops tf;
  final int models;

  /** B and T: an Integer, or an int32 scalar known when the graph runs. */
  final Object batch;

  final Object time;
  private double dropout;
  private long[] seeds;
  private long dropoutOps;
  private Map<String, Operand<TFloat32>> probes;
  private Selection selection;
  private Operand<TInt32> selectedRows;

  private Pass(Ops tf, int models, Object batch, Object time) {
    this.tf = tf;
    this.models = models;
    this.batch = batch;
    this.time = time;
  }

  /** A pass over ids {@code [K, batch, time]} of static sizes. */
  public static Pass of(Ops tf, int models, int batch, int time) {
    return new Pass(tf, models, batch, time);
  }

  /** A pass over ids {@code [K, b, t]} whose b and t are known only when the graph runs. */
  public static Pass of(Ops tf, int models, Operand<TInt32> ids) {
    Operand<TInt32> shape = tf.shape(ids);
    return new Pass(
        tf,
        models,
        tf.gather(shape, tf.constant(1), tf.constant(0)),
        tf.gather(shape, tf.constant(2), tf.constant(0)));
  }

  /**
   * Dropout with probability {@code p} (none when 0): member k's random ops are seeded by {@code
   * seeds[k]}.
   */
  public Pass withDropout(double p, long[] seeds) {
    Preconditions.checkArgument(
        seeds.length == models, "%s dropout seeds for %s models", seeds.length, models);
    this.dropout = p;
    this.seeds = seeds.clone();
    return this;
  }

  /** Records named intermediate tensors ({@link #probes()}). */
  public Pass probing() {
    this.probes = new LinkedHashMap<>();
    return this;
  }

  /** The answer-only path: logits at the selected positions only. */
  public Pass at(Selection selection) {
    Preconditions.checkArgument(
        batch instanceof Integer && time instanceof Integer,
        "the answer-only path needs static sizes");
    this.selection = selection;
    return this;
  }

  Selection selection() {
    return selection;
  }

  /** T as an int32 scalar. */
  Operand<TInt32> timeScalar() {
    return dim(time);
  }

  /**
   * Rows per model of the full stream, B*T (-1, inferred, when the sizes are known only at run
   * time).
   */
  Object rows() {
    if (batch instanceof Integer b && time instanceof Integer t) {
      return b * t;
    }
    return -1;
  }

  /** A shape vector {@code [K, B, T, dims...]}. */
  Operand<TInt32> shapeKbt(Object... dims) {
    Object[] all = new Object[dims.length + 3];
    all[0] = models;
    all[1] = batch;
    all[2] = time;
    System.arraycopy(dims, 0, all, 3, dims.length);
    return shape(all);
  }

  /** A shape vector of ints and int32 scalars: a constant when every entry is an int. */
  Operand<TInt32> shape(Object... dims) {
    boolean constant = true;
    for (Object dim : dims) {
      constant &= dim instanceof Integer;
    }
    if (constant) {
      int[] values = new int[dims.length];
      for (int i = 0; i < dims.length; i++) {
        values[i] = (Integer) dims[i];
      }
      return tf.constant(values);
    }
    List<Operand<TInt32>> parts = new ArrayList<>();
    for (Object dim : dims) {
      parts.add(dim(dim));
    }
    return tf.stack(parts);
  }

  @SuppressWarnings("unchecked")
  private Operand<TInt32> dim(Object dim) {
    return dim instanceof Integer i ? tf.constant(i) : (Operand<TInt32>) dim;
  }

  /**
   * Zeroes entries with the dropout probability and rescales the rest; identity without dropout.
   * Each member draws its own mask (the draws of the model of its seed trained alone).
   */
  Operand<TFloat32> dropout(Operand<TFloat32> x) {
    if (dropout <= 0) {
      return x;
    }
    long op = ++dropoutOps;
    Operand<TInt32> member =
        tf.slice(
            tf.shape(x),
            tf.constant(new int[] {1}),
            tf.constant(new int[] {-1})); // x's shape without K
    List<Operand<TFloat32>> draws = new ArrayList<>();
    for (long seed : seeds) {
      draws.add(
          tf.random.randomUniform(
              member, TFloat32.class, RandomUniform.seed(seed), RandomUniform.seed2(op)));
    }
    Operand<TFloat32> keep =
        tf.dtypes.cast(
            tf.math.greaterEqual(tf.stack(draws), tf.constant((float) dropout)), TFloat32.class);
    return tf.math.mul(x, tf.math.mul(keep, tf.constant((float) (1 / (1 - dropout)))));
  }

  /**
   * Row indices into {@code [K*B*T]} of the selected positions, {@code (k B + b) T + position}, as
   * {@code [K*B*P]}; built once per pass.
   */
  Operand<TInt32> selectedRows() {
    if (selectedRows == null) {
      int b = (Integer) batch;
      int t = (Integer) time;
      int[][][] base = new int[models][b][1];
      for (int i = 0; i < models; i++) {
        for (int r = 0; r < b; r++) {
          base[i][r][0] = (i * b + r) * t;
        }
      }
      selectedRows =
          tf.reshape(
              tf.math.add(selection.positions(), tf.constant(base)), tf.constant(new int[] {-1}));
    }
    return selectedRows;
  }

  /** The rows {@code [K, B*P, d]} of a stream {@code [K, B*T, d]} at the selected positions. */
  Operand<TFloat32> atSelection(Operand<TFloat32> x, int d) {
    int b = (Integer) batch;
    int t = (Integer) time;
    Operand<TFloat32> flat = tf.reshape(x, tf.constant(new int[] {models * b * t, -1}));
    return tf.reshape(
        tf.gather(flat, selectedRows(), tf.constant(0)),
        tf.constant(new int[] {models, b * selection.perRow(), d}));
  }

  /** B*P: the rows per model at the selected positions. */
  int selectedPerModel() {
    return (Integer) batch * selection.perRow();
  }

  int batch() {
    return (Integer) batch;
  }

  boolean recordsProbes() {
    return probes != null;
  }

  /**
   * Records a tensor {@code [K, ...]} as {@code name}; rows {@code [K, B*T, d]} are reshaped to
   * {@code [K, B, T, d]}.
   */
  void probe(String name, Operand<TFloat32> value, boolean rows, int dim) {
    if (probes != null) {
      probes.put(name, rows ? tf.reshape(value, shapeKbt(dim)) : value);
    }
  }

  /** The recorded probes {@code [K, ...]}, in the order they were built (empty unless probing). */
  public Map<String, Operand<TFloat32>> probes() {
    return probes == null ? Map.of() : probes;
  }
}
