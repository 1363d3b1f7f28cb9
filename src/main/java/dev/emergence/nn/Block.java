package dev.emergence.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A pre-LayerNorm transformer block: {@code x + attn(ln1(x))}, then {@code x + mlp(ln2(x))}. Each
 * sublayer's output can be scaled by a gate per model (1 keeps it, 0 ablates it) for probing.
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
   * One application to rows {@code [K, B*T, d]}. {@code key} names the probes ({@code h<i>} for the
   * i-th application); gates are {@code [K]} or null (no gating op at all).
   */
  public Operand<TFloat32> call(
      Pass pass,
      String key,
      Operand<TFloat32> x,
      Operand<TFloat32> attnGate,
      Operand<TFloat32> mlpGate) {
    Ops tf = pass.tf;
    int d = config.dModel();
    pass.probe(key + ".resid.pre", x, true, d);
    Operand<TFloat32> a = gated(pass, attn.call(pass, key, ln1.call(tf, x)), attnGate);
    pass.probe(key + ".attn.out", a, true, d);
    x = tf.math.add(x, a);
    pass.probe(key + ".resid.mid", x, true, d);
    Operand<TFloat32> m = gated(pass, mlp.call(pass, ln2.call(tf, x)), mlpGate);
    pass.probe(key + ".mlp.out", m, true, d);
    x = tf.math.add(x, m);
    pass.probe(key + ".resid.post", x, true, d);
    return x;
  }

  /**
   * The application at the pass's selected positions only (the last one on the answer-only path):
   * attention reads keys and values from every row of {@code x [K, B*T, d]}; returns {@code [K,
   * B*P, d]}.
   */
  Operand<TFloat32> callAt(
      Pass pass, Operand<TFloat32> x, Operand<TFloat32> attnGate, Operand<TFloat32> mlpGate) {
    Ops tf = pass.tf;
    Operand<TFloat32> a = gated(pass, attn.callAt(pass, ln1.call(tf, x)), attnGate);
    Operand<TFloat32> at = tf.math.add(pass.atSelection(x, config.dModel()), a);
    return tf.math.add(at, gated(pass, mlp.call(pass, ln2.call(tf, at)), mlpGate));
  }

  /** {@code value [K, n, d]} times {@code gate [K]}; the value itself without a gate. */
  private static Operand<TFloat32> gated(
      Pass pass, Operand<TFloat32> value, Operand<TFloat32> gate) {
    return gate == null
        ? value
        : pass.tf.math.mul(
            value, pass.tf.reshape(gate, pass.tf.constant(new int[] {pass.models, 1, 1})));
  }
}
