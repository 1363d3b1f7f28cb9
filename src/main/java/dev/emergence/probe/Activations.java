package dev.emergence.probe;

import dev.emergence.listops.ListOperator;
import dev.emergence.listops.Split;
import dev.emergence.listops.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@code probe} signature shows on test prompts ({@code expr =}): the residual stream at
 * every leaf token (a number, a group element), read at {@code embedding} (token + position
 * embedding) and at {@code layer_i} (after block application i), and the mean norms behind the
 * attention and feed-forward ratios, over every prompt position.
 */
public final class Activations {
  private static final int CHUNK = 256;

  /** Where the residual stream is read: {@code embedding}, {@code layer_0}, ... */
  private final List<String> keys;

  private final Map<String, FloatList> features = new LinkedHashMap<>();
  private final List<Integer> values = new ArrayList<>();
  private final double[] attnIn;
  private final double[] attnOut;
  private final double[] mlpIn;
  private final double[] mlpOut;
  private long positions;
  private final int dim;

  private final Vocabulary vocabulary;

  private Activations(int applications, int dim, Vocabulary vocabulary) {
    this.dim = dim;
    this.vocabulary = vocabulary;
    List<String> k = new ArrayList<>();
    k.add("embedding");
    for (int i = 0; i < applications; i++) {
      k.add(layer(i));
    }
    this.keys = List.copyOf(k);
    keys.forEach(key -> features.put(key, new FloatList()));
    attnIn = new double[applications];
    attnOut = new double[applications];
    mlpIn = new double[applications];
    mlpOut = new double[applications];
  }

  public static String layer(int application) {
    return "layer_" + application;
  }

  /** The prompt {@code expr =} of every example of a split. */
  public static List<int[]> prompts(Split split) {
    List<int[]> out = new ArrayList<>(split.size());
    for (int i = 0; i < split.size(); i++) {
      int[] tokens = split.expression(i).tokens();
      int[] prompt = Arrays.copyOf(tokens, tokens.length + 1);
      prompt[tokens.length] = Vocabulary.EQUALS;
      out.add(prompt);
    }
    return out;
  }

  /** Runs the probe signature over the prompts of every split. */
  public static Activations collect(
      ExportedModel model, Map<? extends ListOperator, Split> splits) {
    int n = model.applications();
    Activations a = new Activations(n, model.config().dModel(), model.vocab());
    List<String> names = new ArrayList<>();
    names.add("embedded");
    for (int i = 0; i < n; i++) {
      for (String part : List.of("resid.pre", "attn.out", "resid.mid", "mlp.out", "resid.post")) {
        names.add("h" + i + "." + part);
      }
    }
    List<int[]> prompts = new ArrayList<>();
    for (Split split : splits.values()) {
      prompts.addAll(prompts(split));
    }
    for (int from = 0; from < prompts.size(); from += CHUNK) {
      List<int[]> chunk = prompts.subList(from, Math.min(prompts.size(), from + CHUNK));
      int t = chunk.stream().mapToInt(p -> p.length).max().orElse(1);
      Map<String, ExportedModel.Array> out =
          model.probe(Answers.pack(chunk, t), chunk.size(), t, names);
      a.add(chunk, t, out);
    }
    return a;
  }

  private void add(List<int[]> chunk, int t, Map<String, ExportedModel.Array> out) {
    int n = attnIn.length;
    float[] embedded = out.get("embedded").data();
    for (int r = 0; r < chunk.size(); r++) {
      int[] prompt = chunk.get(r);
      for (int p = 0; p < prompt.length; p++) {
        int at = (r * t + p) * dim;
        positions++;
        for (int i = 0; i < n; i++) {
          attnIn[i] += norm(out.get("h" + i + ".resid.pre").data(), at);
          attnOut[i] += norm(out.get("h" + i + ".attn.out").data(), at);
          mlpIn[i] += norm(out.get("h" + i + ".resid.mid").data(), at);
          mlpOut[i] += norm(out.get("h" + i + ".mlp.out").data(), at);
        }
        if (vocabulary.isValueId(prompt[p])) {
          values.add(vocabulary.value(prompt[p]));
          features.get("embedding").add(embedded, at, dim);
          for (int i = 0; i < n; i++) {
            features.get(layer(i)).add(out.get("h" + i + ".resid.post").data(), at, dim);
          }
        }
      }
    }
  }

  private double norm(float[] data, int at) {
    double sum = 0;
    for (int j = 0; j < dim; j++) {
      sum += (double) data[at + j] * data[at + j];
    }
    return Math.sqrt(sum);
  }

  public List<String> keys() {
    return keys;
  }

  public int dim() {
    return dim;
  }

  /** Rows {@code [contexts, dim]} read at {@code key}. */
  public float[] features(String key) {
    return features.get(key).toArray();
  }

  /** The leaf value of each context (row). */
  public int[] values() {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }

  public int contexts() {
    return values.size();
  }

  /** Prompt positions the ratios average over. */
  public long positions() {
    return positions;
  }

  /**
   * Per application: mean norm of the attention output over the mean norm of its residual input.
   */
  public Map<String, Double> attentionRatio() {
    return ratios(attnOut, attnIn);
  }

  /** Per application: mean norm of the MLP output over the mean norm of its residual input. */
  public Map<String, Double> ffnRatio() {
    return ratios(mlpOut, mlpIn);
  }

  private static Map<String, Double> ratios(double[] out, double[] in) {
    Map<String, Double> ratios = new LinkedHashMap<>();
    for (int i = 0; i < out.length; i++) {
      ratios.put(layer(i), in[i] == 0 ? null : out[i] / in[i]);
    }
    return ratios;
  }

  /** A growable float array. */
  private static final class FloatList {
    private float[] data = new float[1024];
    private int size;

    void add(float[] source, int from, int count) {
      if (size + count > data.length) {
        data = Arrays.copyOf(data, Math.max(data.length * 2, size + count));
      }
      System.arraycopy(source, from, data, size, count);
      size += count;
    }

    float[] toArray() {
      return Arrays.copyOf(data, size);
    }
  }
}
