package dev.emergence.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;

/**
 * Multi-head self-attention where position t sees positions 0..t. Queries, keys and values come from
 * one fused projection; the heads are one batched product {@code [b, h, t, t]}; a constant additive
 * mask (-1e9 above the diagonal) makes it causal.
 */
public final class CausalSelfAttention {
  private final GptConfig config;
  private final String name;
  private final Linear qkv;
  private final Linear proj;
  private final float[][] mask;

  public CausalSelfAttention(Weights weights, String name, GptConfig config) {
    this.config = config;
    this.name = name;
    int d = config.dModel();
    this.qkv = new Linear(weights, name + ".qkv", d, 3 * d, 0.02);
    this.proj = new Linear(weights, name + ".proj", d, d, 0.02 / Math.sqrt(2.0 * config.applications()));
    int t = config.context();
    this.mask = new float[t][t];
    for (int i = 0; i < t; i++) {
      for (int j = i + 1; j < t; j++) {
        mask[i][j] = -1e9f;
      }
    }
  }

  /** x: rows {@code [b*t, d]}; returns rows {@code [b*t, d]}. {@code key} names probes (h0, h1, ...). */
  public Operand<TFloat32> call(Pass pass, String key, Operand<TFloat32> x) {
    Ops tf = pass.tf;
    int d = config.dModel();
    int h = config.heads();
    int hs = config.headSize();
    Operand<TFloat32> fused = tf.reshape(qkv.call(tf, x), pass.shape(pass.batch, pass.time, 3, h, hs)); // [b, t, 3, h, hs]
    Unstack<TFloat32> parts = // 3 x [b, h, t, hs]
        tf.unstack(tf.linalg.transpose(fused, tf.constant(new int[] {2, 0, 3, 1, 4})), 3L, Unstack.axis(0L));
    Operand<TFloat32> q = tf.math.mul(parts.output().get(0), tf.constant((float) (1 / Math.sqrt(hs))));
    Operand<TFloat32> k = parts.output().get(1);
    Operand<TFloat32> v = parts.output().get(2);
    Operand<TFloat32> scores = product(tf, q, k, false, true); // [b, h, t, t]
    Operand<TFloat32> causal =
        tf.slice(tf.constant(mask), pass.shape(0, 0), pass.shape(pass.time, pass.time)); // [t, t]
    Operand<TFloat32> probs = tf.nn.softmax(tf.math.add(scores, causal));
    pass.probe(key + ".attn.probs", probs, false, 0);
    Operand<TFloat32> y = product(tf, pass.dropout(probs), v, false, false); // [b, h, t, hs]
    Operand<TFloat32> rows = // [b, t, h, hs] -> [b*t, d]
        tf.reshape(tf.linalg.transpose(y, tf.constant(new int[] {0, 2, 1, 3})), pass.shape(-1, d));
    return pass.dropout(proj.call(tf, rows));
  }

  /** Batched product over [b, h] of {@code a} and {@code b} (BatchMatMulV3; Einsum and V2 measured no faster). */
  private static Operand<TFloat32> product(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b, boolean adjX, boolean adjY) {
    return tf.train.batchMatMul(a, b, TFloat32.class, BatchMatMul.adjX(adjX), BatchMatMul.adjY(adjY));
  }

  public String name() {
    return name;
  }
}
