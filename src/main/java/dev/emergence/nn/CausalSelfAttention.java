package dev.emergence.nn;

import static dev.emergence.nn.Linear.product;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Multi-head self-attention where position t sees positions 0..t. Queries, keys and values come
 * from one fused projection; the heads of all K models are one batched product {@code [K, B, h, T,
 * T]}; a constant additive mask (-1e9 above the diagonal) makes it causal.
 */
public final class CausalSelfAttention {
  private final GptConfig config;
  private final Linear qkv;
  private final Linear proj;

  public CausalSelfAttention(Weights weights, String name, GptConfig config) {
    this.config = config;
    int d = config.dModel();
    this.qkv = new Linear(weights, name + ".qkv", d, 3 * d, 0.02);
    this.proj =
        new Linear(weights, name + ".proj", d, d, 0.02 / Math.sqrt(2.0 * config.applications()));
  }

  /** Rows {@code [K, B*T, d] -> [K, B*T, d]}. {@code key} names the probes (h0, h1, ...). */
  public Operand<TFloat32> call(Pass pass, String key, Operand<TFloat32> x) {
    Ops tf = pass.tf;
    int h = config.heads();
    int hs = config.headSize();
    Operand<TFloat32> fused =
        tf.reshape(qkv.call(tf, x), pass.shapeKbt(3, h, hs)); // [K, B, T, 3, h, hs]
    Unstack<TFloat32> parts = // 3 x [K, B, h, T, hs]
        tf.unstack(
            tf.linalg.transpose(fused, tf.constant(new int[] {3, 0, 1, 4, 2, 5})),
            3L,
            Unstack.axis(0L));
    Operand<TFloat32> q = tf.math.mul(parts.output().get(0), scale(tf));
    Operand<TFloat32> scores =
        product(tf, q, parts.output().get(1), false, true); // [K, B, h, T, T]
    Operand<TFloat32> probs = tf.nn.softmax(tf.math.add(scores, causalMask(pass)));
    pass.probe(key + ".attn.probs", probs, false, 0);
    Operand<TFloat32> y =
        product(tf, pass.dropout(probs), parts.output().get(2), false, false); // [K, B, h, T, hs]
    Operand<TFloat32> rows = // [K, B, T, h, hs] -> [K, B*T, d]
        tf.reshape(
            tf.linalg.transpose(y, tf.constant(new int[] {0, 1, 3, 2, 4})),
            pass.shape(pass.models, pass.rows(), config.dModel()));
    return pass.dropout(proj.call(tf, rows));
  }

  /**
   * At the pass's selected positions only: keys and values from every row {@code [K, B*T, d]},
   * queries and the output at the P selected positions, {@code [K, B*P, d]}.
   */
  Operand<TFloat32> callAt(Pass pass, Operand<TFloat32> x) {
    Ops tf = pass.tf;
    int k = pass.models;
    int d = config.dModel();
    int h = config.heads();
    int hs = config.headSize();
    int b = pass.batch();
    int p = pass.selection().perRow();
    Operand<TFloat32> kv =
        tf.reshape(qkv.columns(tf, x, d, 2 * d), pass.shapeKbt(2, h, hs)); // [K, B, T, 2, h, hs]
    Unstack<TFloat32> keysValues = // 2 x [K, B, h, T, hs]
        tf.unstack(
            tf.linalg.transpose(kv, tf.constant(new int[] {3, 0, 1, 4, 2, 5})),
            2L,
            Unstack.axis(0L));
    Operand<TFloat32> q = qkv.columns(tf, pass.atSelection(x, d), 0, d); // [K, B*P, d]
    q =
        tf.linalg.transpose(
            tf.reshape(q, tf.constant(new int[] {k, b, p, h, hs})),
            tf.constant(new int[] {0, 1, 3, 2, 4}));
    q = tf.math.mul(q, scale(tf)); // [K, B, h, P, hs]
    Operand<TFloat32> scores =
        product(tf, q, keysValues.output().get(0), false, true); // [K, B, h, P, T]
    Operand<TFloat32> probs = tf.nn.softmax(tf.math.add(scores, selectedMask(pass)));
    Operand<TFloat32> y =
        product(
            tf, pass.dropout(probs), keysValues.output().get(1), false, false); // [K, B, h, P, hs]
    Operand<TFloat32> attended = // [K, B, P, h, hs] -> [K, B*P, d]
        tf.reshape(
            tf.linalg.transpose(y, tf.constant(new int[] {0, 1, 3, 2, 4})),
            tf.constant(new int[] {k, b * p, d}));
    return pass.dropout(proj.call(tf, attended));
  }

  private Operand<TFloat32> scale(Ops tf) {
    return tf.constant((float) (1 / Math.sqrt(config.headSize())));
  }

  /** {@code [T, T]}: 0 on and below the diagonal, -1e9 above it. */
  private Operand<TFloat32> causalMask(Pass pass) {
    Ops tf = pass.tf;
    if (pass.time instanceof Integer t) {
      return tf.constant(mask(t));
    }
    int context = config.context();
    return tf.slice(tf.constant(mask(context)), pass.shape(0, 0), pass.shape(pass.time, pass.time));
  }

  private static float[][] mask(int time) {
    float[][] mask = new float[time][time];
    for (int i = 0; i < time; i++) {
      for (int j = i + 1; j < time; j++) {
        mask[i][j] = -1e9f;
      }
    }
    return mask;
  }

  /** {@code [K, B, 1, P, T]}: 0 where key j is at or before the query's position, -1e9 after it. */
  private static Operand<TFloat32> selectedMask(Pass pass) {
    Ops tf = pass.tf;
    Operand<TInt32> positions = pass.selection().positions();
    Operand<TInt32> keys = tf.range(tf.constant(0), pass.timeScalar(), tf.constant(1)); // [T]
    Operand<TBool> after =
        tf.math.greater(keys, tf.expandDims(positions, tf.constant(-1))); // [K, B, P, T]
    Operand<TFloat32> mask = tf.select(after, tf.constant(-1e9f), tf.constant(0f));
    return tf.expandDims(mask, tf.constant(2));
  }
}
