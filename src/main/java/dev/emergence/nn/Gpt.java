package dev.emergence.nn;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A nanoGPT-like decoder as graph ops: token + learned position embeddings, {@code layers} pre-LN
 * blocks (applied {@code loops} times with shared weights), a final LayerNorm and an output head tied
 * to the token table (or its own {@code lm_head.w}). Build once; call {@link #forward} for each pass
 * (training, serving, probing), all sharing the same variables.
 *
 * <p>Variable names: {@code wte}, {@code wpe}, {@code h<i>.ln1.{g,b}}, {@code h<i>.attn.qkv.{w,b}},
 * {@code h<i>.attn.proj.{w,b}}, {@code h<i>.ln2.{g,b}}, {@code h<i>.mlp.fc.{w,b}}, {@code
 * h<i>.mlp.proj.{w,b}}, {@code ln_f.{g,b}}, and {@code lm_head.w} when untied; under a scope each
 * name is prefixed ({@code m3.wte}), with the same weights as the unscoped model of that seed.
 */
public final class Gpt {
  private final GptConfig config;
  private final Weights weights;
  private final Embedding wte;
  private final Embedding wpe;
  private final List<Block> blocks = new ArrayList<>();
  private final LayerNorm lnF;
  private final Variable<TFloat32> head;

  public Gpt(Ops tf, GptConfig config, long seed) {
    this(tf, config, seed, "");
  }

  /** A model whose variables are named under {@code scope} (empty: no prefix). */
  public Gpt(Ops tf, GptConfig config, long seed, String scope) {
    this.config = config;
    this.weights = new Weights(tf, seed, scope);
    this.wte = new Embedding(weights, "wte", config.vocab(), config.dModel());
    this.wpe = new Embedding(weights, "wpe", config.context(), config.dModel());
    for (int i = 0; i < config.layers(); i++) {
      blocks.add(new Block(weights, "h" + i, config));
    }
    this.lnF = new LayerNorm(weights, "ln_f", config.dModel());
    this.head = config.tied() ? null : weights.normal("lm_head.w", 0.02, config.vocab(), config.dModel());
  }

  public GptConfig config() {
    return config;
  }

  /** Every trainable variable, in creation order. */
  public List<Variable<TFloat32>> variables() {
    return weights.variables();
  }

  public Variable<TFloat32> tokenTable() {
    return wte.table();
  }

  /**
   * Logits as rows {@code [b*t, vocab]} for ids {@code [b, t]} (t at most the context).
   *
   * @param attnGates null, or a float vector with one gate per block application (layers x loops)
   * @param mlpGates likewise for the MLP sublayers
   */
  public Operand<TFloat32> forward(
      Pass pass, Operand<TInt32> ids, Operand<TFloat32> attnGates, Operand<TFloat32> mlpGates) {
    Ops tf = pass.tf;
    int d = config.dModel();
    Operand<TInt32> flat = tf.reshape(ids, tf.constant(new int[] {-1})); // [b*t]
    Operand<TInt32> positions = tf.range(tf.constant(0), pass.time, tf.constant(1));
    Operand<TFloat32> pos = wpe.call(tf, positions); // [t, d]
    Operand<TFloat32> tok = tf.reshape(wte.call(tf, flat), pass.shape(pass.batch, pass.time, d)); // [b, t, d]
    Operand<TFloat32> x = tf.reshape(tf.math.add(tok, pos), pass.shape(-1, d)); // [b*t, d]
    if (pass.probing()) {
      pass.probe("wte", Weights.read(tf, wte.table()), false, 0);
      pass.probe("embedded", x, true, d);
    }
    x = pass.dropout(x);
    int application = 0;
    for (int loop = 0; loop < config.loops(); loop++) {
      for (Block block : blocks) {
        x = block.call(pass, "h" + application, x, gate(tf, attnGates, application), gate(tf, mlpGates, application));
        application++;
      }
    }
    x = lnF.call(tf, x);
    Operand<TFloat32> table = Weights.read(tf, config.tied() ? wte.table() : head);
    return tf.linalg.matMul(x, table, MatMul.transposeB(true)); // [b*t, vocab]
  }

  /** Logits rows {@code [b*t, vocab]} reshaped to {@code [b, t, vocab]}. */
  public Operand<TFloat32> unflatten(Pass pass, Operand<TFloat32> rows) {
    return pass.tf.reshape(rows, pass.shape(pass.batch, pass.time, config.vocab())); // [b, t, vocab]
  }

  private static Operand<TFloat32> gate(Ops tf, Operand<TFloat32> gates, int index) {
    return gates == null ? null : tf.gather(gates, tf.constant(index), tf.constant(0));
  }
}
