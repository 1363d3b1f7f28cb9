package dev.emergence.nn;

import static dev.emergence.nn.Linear.product;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * K nanoGPT-like decoders of one shape as graph ops, with a leading model axis on every weight and
 * activation (K = 1 for a model trained alone): token + learned position embeddings, {@code layers}
 * pre-LN blocks (applied {@code loops} times with shared weights), a final LayerNorm and an output
 * head tied to the token table (or its own {@code lm_head.w}). Every product is one batched product
 * over the models, so each op does K models' work; member k computes what the model of seed {@code
 * seeds[k]} trained alone computes. Build once; call {@link #forward} for each pass (training,
 * evaluation, serving, probing), all sharing the same variables.
 *
 * <p>Variable names: {@code wte}, {@code wpe}, {@code h<i>.ln1.{g,b}}, {@code h<i>.attn.qkv.{w,b}},
 * {@code h<i>.attn.proj.{w,b}}, {@code h<i>.ln2.{g,b}}, {@code h<i>.mlp.fc.{w,b}}, {@code
 * h<i>.mlp.proj.{w,b}}, {@code ln_f.{g,b}}, and {@code lm_head.w} when untied ({@link Weights}:
 * each {@code [K, ...]} in a stack, the member's own shape in {@link #member}).
 *
 * <p><b>Answer-only path.</b> With a {@link Selection} on the pass (P positions per row, e.g. the
 * answer and {@code <end>} targets after '='), the last block application computes keys and values
 * at every position but queries, the attention output, the MLP, the final LayerNorm and the head
 * only at the selected positions: the same logits there, far fewer FLOPs for one- and two-layer
 * models.
 */
public final class Gpt {
  private final GptConfig config;
  private final Weights weights;
  private final Embedding wte;
  private final Embedding wpe;
  private final List<Block> blocks = new ArrayList<>();
  private final LayerNorm lnF;
  private final Variable<TFloat32> head;

  /** A stack: member k seeded by {@code seeds[k]}, every variable {@code [K, ...]}. */
  public Gpt(Ops tf, GptConfig config, long[] seeds) {
    this(config, Weights.stacked(tf, seeds));
  }

  /**
   * One model of seed {@code seed} with variables in their own shapes (what a SavedModel holds): a
   * stack of one.
   */
  public static Gpt member(Ops tf, GptConfig config, long seed) {
    return new Gpt(config, Weights.member(tf, seed));
  }

  private Gpt(GptConfig config, Weights weights) {
    this.config = config;
    this.weights = weights;
    this.wte = new Embedding(weights, "wte", config.vocab(), config.dModel());
    this.wpe = new Embedding(weights, "wpe", config.context(), config.dModel());
    for (int i = 0; i < config.layers(); i++) {
      blocks.add(new Block(weights, "h" + i, config));
    }
    this.lnF = new LayerNorm(weights, "ln_f", config.dModel());
    this.head =
        config.tied() ? null : weights.normal("lm_head.w", 0.02, config.vocab(), config.dModel());
  }

  public GptConfig config() {
    return config;
  }

  /** K: the models of this stack. */
  public int models() {
    return weights.models();
  }

  /** Every variable, in creation order. */
  public List<Variable<TFloat32>> variables() {
    return weights.variables();
  }

  public Variable<TFloat32> tokenTable() {
    return wte.table();
  }

  /**
   * Logits {@code [K, B*T, vocab]} for ids {@code [K, B, T]} (T at most the context), or with the
   * pass's selection {@code [K, B*P, vocab]} at the selected positions only (row-major over B, then
   * P).
   *
   * @param attnGates null, or {@code [K, layers x loops]}: one gate per model and block application
   * @param mlpGates likewise for the MLP sublayers
   */
  public Operand<TFloat32> forward(
      Pass pass, Operand<TInt32> ids, Operand<TFloat32> attnGates, Operand<TFloat32> mlpGates) {
    Ops tf = pass.tf;
    int d = config.dModel();
    if (pass.time instanceof Integer t) {
      config.checkFits(t);
    }
    Operand<TFloat32> tok = wte.lookup(pass, ids); // [K, B, T, d]
    Operand<TFloat32> pos = wpe.first(pass); // [K, 1, T, d]
    Operand<TFloat32> x =
        tf.reshape(tf.math.add(tok, pos), pass.shape(pass.models, pass.rows(), d)); // [K, B*T, d]
    if (pass.recordsProbes()) {
      pass.probe("wte", wte.read(tf), false, 0);
      pass.probe("embedded", x, true, d);
    }
    x = pass.dropout(x);
    int applications = config.applications();
    for (int a = 0; a < applications; a++) {
      Block block = blocks.get(a % config.layers());
      Operand<TFloat32> attnGate = gate(tf, attnGates, a);
      Operand<TFloat32> mlpGate = gate(tf, mlpGates, a);
      x =
          pass.selection() != null && a == applications - 1
              ? block.callAt(pass, x, attnGate, mlpGate)
              : block.call(pass, "h" + a, x, attnGate, mlpGate);
    }
    x = lnF.call(tf, x);
    Operand<TFloat32> out = config.tied() ? wte.read(tf) : weights.read(tf, head); // [K, V, d]
    return product(tf, x, out, false, true); // [K, rows, V]
  }

  /** Column {@code application} of gates {@code [K, n]}: {@code [K]}; null without gates. */
  private static Operand<TFloat32> gate(Ops tf, Operand<TFloat32> gates, int application) {
    return gates == null ? null : tf.gather(gates, tf.constant(application), tf.constant(1));
  }
}
