package dev.emergence.nn;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TFloating;

/**
 * Neural reparametrization (Dehmamy et al., arXiv 2205.13624): the optimization variables x become
 * the output of a graph network over learnable node embeddings Z,
 *
 * <pre>
 *   h_0 = Z                                   (n x hidden, learnable)
 *   h_l = act(P h_{l-1} W_l)                  concatenated skips, or
 *   h_l = h_{l-1} + act(P h_{l-1} W_l)        residual skips
 *   x   = [h_0 | h_1 | ... | h_L] R + b       (concat)   or   h_L R + b   (residual)
 * </pre>
 *
 * The propagation matrix P (for example the GCN-normalized Hessian) is passed in as a value; this
 * layer never builds it. The read-out R starts at zero, so x starts at zero.
 */
public final class GnnReparametrization<T extends TFloating> {
  /** How layers are joined. */
  public enum Skip {
    CONCAT,
    RESIDUAL;

    /** Lower case on the command line; JSON keeps the name. */
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The nonlinearity after each propagation. */
  public enum Activation {
    TANH,
    RELU,
    LINEAR;

    /** Lower case on the command line; JSON keeps the name. */
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Hyperparameters; {@code seed} drives the stateless initializers. */
  public record Config(int hidden, int layers, Skip skip, Activation activation, long seed) {
    public Config {
      Preconditions.checkArgument(hidden >= 1, "hidden width must be at least 1, got %s", hidden);
      Preconditions.checkArgument(layers >= 0, "layers must be >= 0, got %s", layers);
      Preconditions.checkNotNull(skip, "skip");
      Preconditions.checkNotNull(activation, "activation");
    }

    /**
     * The default: 2 tanh layers of width 16 with concatenated skips (on heat at 128^2 to a 1e-6
     * gap, 2 layers needed fewer iterations than 3 and one sparse product less per pass; 1 layer
     * stalled).
     */
    public static Config defaults(long seed) {
      return new Config(16, 2, Skip.CONCAT, Activation.TANH, seed);
    }
  }

  private final Operand<T> output;
  private final List<Variable<T>> variables = new ArrayList<>();

  /** The network as first built: concatenated read-out, bias starting at zero. */
  public GnnReparametrization(
      Ops tf, String name, Config config, SparseMatrix propagation, int outputs, Class<T> type) {
    this(tf, name, config, propagation, outputs, type, false, 0);
  }

  /**
   * Builds the network under {@code name}; its output has shape [propagation.n(), outputs].
   *
   * @param type float32 or float64, for every weight and product
   * @param layerSumReadout with concatenated skips, compute the read-out as {@code sum_l h_l R_l}
   *     (one small product per layer) instead of concatenating the features first: the same
   *     function and the same variables, without the [n, h (L + 1)] concat and the slices of its
   *     gradient
   * @param initialBias the read-out bias's starting value (x starts there, since R starts at zero)
   */
  public GnnReparametrization(
      Ops tf,
      String name,
      Config config,
      SparseMatrix propagation,
      int outputs,
      Class<T> type,
      boolean layerSumReadout,
      double initialBias) {
    Preconditions.checkArgument(outputs >= 1, "outputs must be at least 1, got %s", outputs);
    int n = propagation.n();
    int h = config.hidden();
    SparseMatrix.InGraph<T> p = propagation.inGraph(tf, type);
    Variable<T> z =
        weight(tf, name + ".z", n, h, 1.0 / Math.sqrt(h), config.seed(), type); // [n, h]
    Operand<T> current = tf.identity(z); // [n, h]
    List<Operand<T>> features = new ArrayList<>(List.of(current));
    for (int l = 1; l <= config.layers(); l++) {
      Variable<T> w =
          weight(tf, name + ".w" + l, h, h, 1.0 / Math.sqrt(h), config.seed() + 7919L * l, type);
      // P [n, n] x (current [n, h] x w [h, h]) -> [n, h]
      Operand<T> message =
          activation(tf, config.activation(), p.matMul(tf.linalg.matMul(current, tf.identity(w))));
      current = config.skip() == Skip.RESIDUAL ? tf.math.add(current, message) : message; // [n, h]
      features.add(current);
    }
    boolean concat = config.skip() == Skip.CONCAT && features.size() > 1;
    long width = config.skip() == Skip.CONCAT ? (long) h * (config.layers() + 1) : h;
    Ops init = tf.withInitScope();
    // readout [width, outputs], bias [outputs]
    Variable<T> readout =
        track(
            tf.withName(name + ".readout")
                .variable(init.zeros(init.constant(new long[] {width, outputs}), type)));
    Operand<T> start =
        init.dtypes.cast(
            init.fill(init.constant(new long[] {outputs}), init.constant(initialBias)), type);
    Variable<T> bias = track(tf.withName(name + ".bias").variable(start));
    Operand<T> r = tf.identity(readout);
    Operand<T> product;
    if (concat && layerSumReadout) {
      // sum over l of h_l [n, h] x R[l h : (l + 1) h, :] [h, outputs] -> [n, outputs]
      List<Operand<T>> terms = new ArrayList<>();
      for (int l = 0; l < features.size(); l++) {
        Operand<T> block =
            tf.slice(r, tf.constant(new int[] {l * h, 0}), tf.constant(new int[] {h, outputs}));
        terms.add(tf.linalg.matMul(features.get(l), block));
      }
      product = tf.math.addN(terms);
    } else {
      // concat: (L + 1) x [n, h] -> [n, h (L + 1)]; residual: [n, h]
      Operand<T> readIn = concat ? tf.concat(features, tf.constant(1)) : current;
      product = tf.linalg.matMul(readIn, r); // [n, width] x [width, outputs] -> [n, outputs]
    }
    output = tf.math.add(product, tf.identity(bias)); // + [outputs]
  }

  /** x = GNN(Z): shape [n, outputs]. */
  public Operand<T> output() {
    return output;
  }

  /** Every trainable variable: Z, the layer weights, the read-out and its bias. */
  public List<Variable<T>> variables() {
    return List.copyOf(variables);
  }

  private Variable<T> weight(
      Ops tf, String name, long rows, long cols, double scale, long seed, Class<T> type) {
    Ops init = tf.withInitScope();
    Operand<T> normal =
        init.random.statelessRandomNormal(
            init.constant(new long[] {rows, cols}), init.constant(new long[] {seed, 0x5eed}), type);
    return track(
        tf.withName(name)
            .variable(init.math.mul(normal, init.dtypes.cast(init.constant(scale), type))));
  }

  private Variable<T> track(Variable<T> variable) {
    variables.add(variable);
    return variable;
  }

  private static <T extends TFloating> Operand<T> activation(
      Ops tf, Activation activation, Operand<T> x) {
    return switch (activation) {
      case TANH -> tf.math.tanh(x);
      case RELU -> tf.nn.relu(x);
      case LINEAR -> x;
    };
  }
}
