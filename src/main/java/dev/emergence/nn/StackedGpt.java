package dev.emergence.nn;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.framework.activations.GELU;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * K GPTs of one shape in one graph: every weight carries a leading model axis ({@link StackedWeights}),
 * and every product is one batched product over the models ({@code BatchMatMulV3} on {@code [K, ...]}),
 * so each op does K models' work. Member k computes exactly what {@link Gpt} of seed {@code seeds[k]}
 * computes (up to the rounding of batched against plain products): same names, same initial weights,
 * same forward pass. No dropout, gates or probes: stacks train; single models serve and probe.
 *
 * <p><b>Answer-only path.</b> Given a {@link Selection} (P positions per row, e.g. the answer and
 * {@code <end>} targets after '='), the last block application computes keys and values at every
 * position but queries, the attention output, the MLP, the final LayerNorm and the head only at the
 * selected positions: the same logits there, far fewer FLOPs for one- and two-layer models.
 */
public final class StackedGpt {
  /** Positions {@code [K, B, P]} (int32, each in {@code 0..T-1}) whose logits the pass computes. */
  public record Selection(Operand<TInt32> positions, int perRow) {}

  private record Dense(Variable<TFloat32> w, Variable<TFloat32> b) {}

  private record Norm(Variable<TFloat32> g, Variable<TFloat32> b) {}

  private record BlockWeights(Norm ln1, Dense qkv, Dense proj, Norm ln2, Dense fc, Dense mlpProj) {}

  private static final float EPS = 1e-5f;
  private final GptConfig config;
  private final int k;
  private final long[] seeds;
  private final StackedWeights weights;
  private final Variable<TFloat32> wte;
  private final Variable<TFloat32> wpe;
  private final List<BlockWeights> blocks = new ArrayList<>();
  private final Norm lnF;
  private final Variable<TFloat32> head;

  public StackedGpt(Ops tf, GptConfig config, long[] seeds, String scope) {
    Preconditions.checkArgument(
        config.dropout() == 0, "stacked models train without dropout (got %s); train a model with dropout alone", config.dropout());
    this.config = config;
    this.k = seeds.length;
    this.seeds = seeds.clone();
    this.weights = new StackedWeights(tf, seeds, scope);
    int d = config.dModel();
    int m = config.mlpHidden();
    double residualStd = 0.02 / Math.sqrt(2.0 * config.applications());
    this.wte = weights.normal("wte", 0.02, config.vocab(), d);
    this.wpe = weights.normal("wpe", 0.02, config.context(), d);
    for (int i = 0; i < config.layers(); i++) {
      String h = "h" + i;
      Norm ln1 = norm(h + ".ln1", d);
      Dense qkv = dense(h + ".attn.qkv", d, 3 * d, 0.02);
      Dense proj = dense(h + ".attn.proj", d, d, residualStd);
      Norm ln2 = norm(h + ".ln2", d);
      Dense fc = dense(h + ".mlp.fc", d, m, 0.02);
      Dense mlpProj = dense(h + ".mlp.proj", m, d, residualStd);
      blocks.add(new BlockWeights(ln1, qkv, proj, ln2, fc, mlpProj));
    }
    this.lnF = norm("ln_f", d);
    this.head = config.tied() ? null : weights.normal("lm_head.w", 0.02, config.vocab(), d);
  }

  private Norm norm(String name, int d) {
    return new Norm(weights.constant(name + ".g", 1f, d), weights.constant(name + ".b", 0f, d));
  }

  private Dense dense(String name, int in, int out, double std) {
    return new Dense(weights.normal(name + ".w", std, in, out), weights.constant(name + ".b", 0f, out));
  }

  public GptConfig config() {
    return config;
  }

  public int models() {
    return k;
  }

  public long seed(int member) {
    return seeds[member];
  }

  /** Every variable ({@code [K, ...member shape]}), in the single model's creation order. */
  public List<Variable<TFloat32>> variables() {
    return weights.variables();
  }

  /** Unscoped member names of {@link #variables()}, which are the single model's variable names. */
  public List<String> names() {
    return weights.names();
  }

  /**
   * Logits {@code [K, B*T, vocab]} for ids {@code [K, B, T]} (static sizes), or with a selection
   * {@code [K, B*P, vocab]} at the selected positions only (row-major over B, then P).
   */
  public Operand<TFloat32> forward(Ops tf, Operand<TInt32> ids, int batch, int time, Selection selection) {
    config.checkFits(time);
    int d = config.dModel();
    int vocab = config.vocab();
    int[][][] offsets = new int[k][1][1];
    for (int i = 0; i < k; i++) {
      offsets[i][0][0] = i * vocab;
    }
    Operand<TInt32> flat = tf.reshape(tf.math.add(ids, tf.constant(offsets)), tf.constant(new int[] {-1})); // [K*B*T]
    Operand<TFloat32> table = tf.reshape(read(tf, wte), tf.constant(new int[] {k * vocab, d}));
    Operand<TFloat32> tok = tf.reshape(tf.gather(table, flat, tf.constant(0)), tf.constant(new int[] {k, batch, time, d}));
    Operand<TFloat32> pos = // [K, 1, T, d]
        tf.reshape(
            tf.slice(read(tf, wpe), tf.constant(new int[] {0, 0, 0}), tf.constant(new int[] {k, time, d})),
            tf.constant(new int[] {k, 1, time, d}));
    Operand<TFloat32> x = tf.reshape(tf.math.add(tok, pos), tf.constant(new int[] {k, batch * time, d})); // [K, B*T, d]
    int applications = config.applications();
    for (int a = 0; a < applications; a++) {
      BlockWeights block = blocks.get(a % config.layers());
      x = selection != null && a == applications - 1
          ? lastBlockAt(tf, block, x, batch, time, selection)
          : block(tf, block, x, batch, time);
    }
    x = layerNorm(tf, lnF, x);
    Operand<TFloat32> out = read(tf, config.tied() ? wte : head); // [K, V, d]
    return product(tf, x, out, false, true); // [K, rows, V]
  }

  private Operand<TFloat32> block(Ops tf, BlockWeights w, Operand<TFloat32> x, int batch, int time) {
    x = tf.math.add(x, attention(tf, w, layerNorm(tf, w.ln1(), x), batch, time));
    return tf.math.add(x, mlp(tf, w, layerNorm(tf, w.ln2(), x)));
  }

  /** Causal attention of rows {@code [K, B*T, d]}: heads as one product over {@code [K, B, h]}. */
  private Operand<TFloat32> attention(Ops tf, BlockWeights w, Operand<TFloat32> x, int batch, int time) {
    int h = config.heads();
    int hs = config.headSize();
    Operand<TFloat32> fused = tf.reshape(linear(tf, w.qkv(), x), tf.constant(new int[] {k, batch, time, 3, h, hs}));
    Unstack<TFloat32> parts = // 3 x [K, B, h, T, hs]
        tf.unstack(tf.linalg.transpose(fused, tf.constant(new int[] {3, 0, 1, 4, 2, 5})), 3L, Unstack.axis(0L));
    Operand<TFloat32> q = tf.math.mul(parts.output().get(0), tf.constant((float) (1 / Math.sqrt(hs))));
    Operand<TFloat32> scores = product(tf, q, parts.output().get(1), false, true); // [K, B, h, T, T]
    Operand<TFloat32> probs = tf.nn.softmax(tf.math.add(scores, tf.constant(causalMask(time))));
    Operand<TFloat32> y = product(tf, probs, parts.output().get(2), false, false); // [K, B, h, T, hs]
    Operand<TFloat32> rows = tf.reshape(tf.linalg.transpose(y, tf.constant(new int[] {0, 1, 3, 2, 4})), tf.constant(new int[] {k, batch * time, config.dModel()}));
    return linear(tf, w.proj(), rows);
  }

  /**
   * The last block application at the selected positions only: keys and values from every position,
   * queries, attention output, residual and MLP at the P selected positions of each row.
   */
  private Operand<TFloat32> lastBlockAt(Ops tf, BlockWeights w, Operand<TFloat32> x, int batch, int time, Selection selection) {
    int d = config.dModel();
    int h = config.heads();
    int hs = config.headSize();
    int p = selection.perRow();
    Operand<TFloat32> normed = layerNorm(tf, w.ln1(), x); // [K, B*T, d]
    Operand<TFloat32> weight = read(tf, w.qkv().w()); // [K, d, 3d]
    Operand<TFloat32> bias = read(tf, w.qkv().b()); // [K, 3d]
    Operand<TFloat32> wq = tf.slice(weight, tf.constant(new int[] {0, 0, 0}), tf.constant(new int[] {k, d, d}));
    Operand<TFloat32> wkv = tf.slice(weight, tf.constant(new int[] {0, 0, d}), tf.constant(new int[] {k, d, 2 * d}));
    Operand<TFloat32> bq = tf.reshape(tf.slice(bias, tf.constant(new int[] {0, 0}), tf.constant(new int[] {k, d})), tf.constant(new int[] {k, 1, d}));
    Operand<TFloat32> bkv = tf.reshape(tf.slice(bias, tf.constant(new int[] {0, d}), tf.constant(new int[] {k, 2 * d})), tf.constant(new int[] {k, 1, 2 * d}));
    Operand<TFloat32> kv = tf.reshape(tf.math.add(product(tf, normed, wkv, false, false), bkv), tf.constant(new int[] {k, batch, time, 2, h, hs}));
    Unstack<TFloat32> keysValues = // 2 x [K, B, h, T, hs]
        tf.unstack(tf.linalg.transpose(kv, tf.constant(new int[] {3, 0, 1, 4, 2, 5})), 2L, Unstack.axis(0L));
    Operand<TInt32> rows = selectedRows(tf, selection.positions(), batch, time); // [K*B*P]
    Operand<TFloat32> normedAt = tf.reshape(gatherRows(tf, normed, rows, batch * time), tf.constant(new int[] {k, batch * p, d}));
    Operand<TFloat32> q = tf.math.add(product(tf, normedAt, wq, false, false), bq); // [K, B*P, d]
    q = tf.linalg.transpose(tf.reshape(q, tf.constant(new int[] {k, batch, p, h, hs})), tf.constant(new int[] {0, 1, 3, 2, 4}));
    q = tf.math.mul(q, tf.constant((float) (1 / Math.sqrt(hs)))); // [K, B, h, P, hs]
    Operand<TFloat32> scores = product(tf, q, keysValues.output().get(0), false, true); // [K, B, h, P, T]
    Operand<TFloat32> probs = tf.nn.softmax(tf.math.add(scores, selectedMask(tf, selection.positions(), time)));
    Operand<TFloat32> y = product(tf, probs, keysValues.output().get(1), false, false); // [K, B, h, P, hs]
    Operand<TFloat32> attended = tf.reshape(tf.linalg.transpose(y, tf.constant(new int[] {0, 1, 3, 2, 4})), tf.constant(new int[] {k, batch * p, d}));
    Operand<TFloat32> xAt = tf.reshape(gatherRows(tf, x, rows, batch * time), tf.constant(new int[] {k, batch * p, d}));
    xAt = tf.math.add(xAt, linear(tf, w.proj(), attended));
    return tf.math.add(xAt, mlp(tf, w, layerNorm(tf, w.ln2(), xAt)));
  }

  /** Row indices into {@code [K*B*T]} of the selected positions: {@code (k B + b) T + position}. */
  private Operand<TInt32> selectedRows(Ops tf, Operand<TInt32> positions, int batch, int time) {
    int[][][] base = new int[k][batch][1];
    for (int i = 0; i < k; i++) {
      for (int b = 0; b < batch; b++) {
        base[i][b][0] = (i * batch + b) * time;
      }
    }
    return tf.reshape(tf.math.add(positions, tf.constant(base)), tf.constant(new int[] {-1}));
  }

  private Operand<TFloat32> gatherRows(Ops tf, Operand<TFloat32> x, Operand<TInt32> rows, int perModel) {
    Operand<TFloat32> flat = tf.reshape(x, tf.constant(new int[] {k * perModel, -1}));
    return tf.gather(flat, rows, tf.constant(0));
  }

  /** {@code [K, B, 1, P, T]}: 0 where key j is at or before the query's position, -1e9 after it. */
  private Operand<TFloat32> selectedMask(Ops tf, Operand<TInt32> positions, int time) {
    Operand<TInt32> keys = tf.range(tf.constant(0), tf.constant(time), tf.constant(1)); // [T]
    Operand<org.tensorflow.types.TBool> after = tf.math.greater(keys, tf.expandDims(positions, tf.constant(-1))); // [K, B, P, T]
    Operand<TFloat32> mask = tf.select(after, tf.constant(-1e9f), tf.constant(0f));
    return tf.expandDims(mask, tf.constant(2));
  }

  private Operand<TFloat32> mlp(Ops tf, BlockWeights w, Operand<TFloat32> x) {
    return linear(tf, w.mlpProj(), GELU.gelu(tf, linear(tf, w.fc(), x)));
  }

  /** {@code x W + b} per model: x {@code [K, n, in]}, W {@code [K, in, out]}, b {@code [K, out]}. */
  private Operand<TFloat32> linear(Ops tf, Dense dense, Operand<TFloat32> x) {
    Operand<TFloat32> bias = read(tf, dense.b());
    Operand<TFloat32> b3 = tf.expandDims(bias, tf.constant(1)); // [K, 1, out]
    return tf.math.add(product(tf, x, read(tf, dense.w()), false, false), b3);
  }

  private Operand<TFloat32> layerNorm(Ops tf, Norm norm, Operand<TFloat32> x) {
    Operand<TFloat32> centered = tf.math.sub(x, tf.math.mean(x, tf.constant(-1), Mean.keepDims(true)));
    Operand<TFloat32> variance = tf.math.mean(tf.math.square(centered), tf.constant(-1), Mean.keepDims(true));
    Operand<TFloat32> normed = tf.math.mul(centered, tf.math.rsqrt(tf.math.add(variance, tf.constant(EPS))));
    Operand<TFloat32> g = tf.expandDims(read(tf, norm.g()), tf.constant(1));
    Operand<TFloat32> b = tf.expandDims(read(tf, norm.b()), tf.constant(1));
    return tf.math.add(tf.math.mul(normed, g), b);
  }

  private static float[][] causalMask(int time) {
    float[][] mask = new float[time][time];
    for (int i = 0; i < time; i++) {
      for (int j = i + 1; j < time; j++) {
        mask[i][j] = -1e9f;
      }
    }
    return mask;
  }

  private static Operand<TFloat32> product(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b, boolean adjX, boolean adjY) {
    return tf.train.batchMatMul(a, b, TFloat32.class, BatchMatMul.adjX(adjX), BatchMatMul.adjY(adjY));
  }

  private static Operand<TFloat32> read(Ops tf, Variable<TFloat32> variable) {
    return tf.identity(variable);
  }
}
