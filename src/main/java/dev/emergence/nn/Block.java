package dev.emergence.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A pre-LayerNorm transformer block: {@code x + attn(ln1(x))}, then {@code x + mlp(ln2(x))}. Each
 * sublayer's output can be scaled by a gate (1 keeps it, 0 ablates it) for probing.
 */
public final class Block {
  private final GptConfig config;
  private final LayerNorm ln1;
  private final CausalSelfAttention attn;
  private final LayerNorm ln2;
  private final Mlp mlp;

  public Block(Weights weights, String name, GptConfig config) {
    this.config = config;
    this.ln1 = new LayerNorm(weights, name + ".ln1", config.dModel());
    this.attn = new CausalSelfAttention(weights, name + ".attn", config);
    this.ln2 = new LayerNorm(weights, name + ".ln2", config.dModel());
    this.mlp = new Mlp(weights, name + ".mlp", config);
  }

  /**
   * One application. {@code key} names the probes ({@code h<i>} for the i-th application); gates are
   * float scalars or null (no gating op at all).
   */
  public Operand<TFloat32> call(
      Pass pass, String key, Operand<TFloat32> x, Operand<TFloat32> attnGate, Operand<TFloat32> mlpGate) {
    Ops tf = pass.tf;
    int d = config.dModel();
    pass.probe(key + ".resid.pre", x, true, d);
    Operand<TFloat32> a = attn.call(pass, key, ln1.call(tf, x));
    if (attnGate != null) {
      a = tf.math.mul(a, attnGate);
    }
    pass.probe(key + ".attn.out", a, true, d);
    x = tf.math.add(x, a);
    pass.probe(key + ".resid.mid", x, true, d);
    Operand<TFloat32> m = mlp.call(pass, ln2.call(tf, x));
    if (mlpGate != null) {
      m = tf.math.mul(m, mlpGate);
    }
    pass.probe(key + ".mlp.out", m, true, d);
    x = tf.math.add(x, m);
    pass.probe(key + ".resid.post", x, true, d);
    return x;
  }
}
