package dev.emergence.probe;

import dev.emergence.listops.Operator;
import dev.emergence.listops.Split;
import dev.emergence.session.SessionConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * Runs every analysis on one opened export: the number embeddings' geometry, the parity and modular
 * probes at every reading point, the attention and feed-forward ratios, and the ablations, all on
 * the first {@code examplesPerOperator} test expressions of each operator the model was trained on.
 */
public final class Prober {
  /** Test expressions per operator, unless told otherwise. */
  public static final int DEFAULT_EXAMPLES = 500;

  private final SessionConfig session;
  private final int examplesPerOperator;
  private final long seed;
  private final boolean ablate;

  public Prober(SessionConfig session, int examplesPerOperator, long seed, boolean ablate) {
    this.session = session;
    this.examplesPerOperator = examplesPerOperator;
    this.seed = seed;
    this.ablate = ablate;
  }

  public ProbeResult probe(ExportedModel model) {
    int n = model.modulus();
    int first = model.vocabulary().firstNumber();
    float[][] table = model.tokenTable();
    float[][] numbers = new float[n][];
    for (int v = 0; v < n; v++) {
      numbers[v] = table[first + v];
    }
    EmbeddingGeometry geometry = EmbeddingGeometry.of(numbers);

    Map<Operator, Split> splits = model.testSplits(examplesPerOperator);
    Activations activations = Activations.collect(model, splits);
    LinearProbe probe = new LinearProbe(session);
    int[] values = activations.values();
    Map<String, Double> parity = probeAll(probe, activations, values, n, v -> v % 2);
    Map<String, Map<String, Double>> modular = new LinkedHashMap<>();
    for (int p : primeFactors(n)) {
      modular.put(
          Integer.toString(p),
          p == 2 ? parity : probeAll(probe, activations, values, n, v -> v % p));
    }
    int evens = (n + 1) / 2;
    int folds = Math.min(Math.min(evens, n - evens), LinearProbe.MAX_FOLDS);
    Ablation ablation = ablate ? Ablation.run(model, splits) : null;
    int used = splits.values().stream().mapToInt(Split::size).max().orElse(0);
    return new ProbeResult(
        model.dir().toString(),
        model.task(),
        model.config(),
        model.config().parameterCount(),
        geometry.explainedVariance(),
        geometry.pc1(),
        geometry.pc2(),
        geometry.order(),
        geometry.cosine(),
        geometry.cosineSummary(),
        parity,
        modular,
        activations.contexts(),
        folds,
        activations.attentionRatio(),
        activations.ffnRatio(),
        ablation,
        used);
  }

  private Map<String, Double> probeAll(
      LinearProbe probe, Activations a, int[] values, int n, IntUnaryOperator label) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String key : a.keys()) {
      out.put(key, probe.crossValidate(a.features(key), a.dim(), values, n, label, seed));
    }
    return out;
  }

  /** Distinct prime factors, ascending. */
  public static List<Integer> primeFactors(int n) {
    List<Integer> out = new ArrayList<>();
    int m = n;
    for (int p = 2; (long) p * p <= m; p++) {
      if (m % p == 0) {
        out.add(p);
        while (m % p == 0) {
          m /= p;
        }
      }
    }
    if (m > 1) {
      out.add(m);
    }
    return out;
  }
}
