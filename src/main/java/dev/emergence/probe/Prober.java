package dev.emergence.probe;

import dev.emergence.listops.Domain;
import dev.emergence.listops.Group;
import dev.emergence.listops.ListOperator;
import dev.emergence.listops.Split;
import dev.emergence.listops.Vocabulary;
import dev.emergence.session.SessionConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/**
 * Runs every analysis on one opened export: the leaf embeddings' geometry (numbers or group
 * elements), the parity probes (a permutation's parity is its sign) and the modular probes of
 * digits or the cycle-type probes of group elements at every reading point, the attention and
 * feed-forward ratios, and the ablations, all on the first {@code examplesPerOperator} test
 * expressions of each operator the model was trained on.
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
    Vocabulary vocabulary = model.vocab();
    Domain domain = vocabulary.domain();
    int n = domain.leaves();
    float[][] table = model.tokenTable();
    float[][] leaves = new float[n][];
    for (int v = 0; v < n; v++) {
      leaves[v] = table[vocabulary.valueId(v)];
    }
    IntUnaryOperator parity = parity(domain);
    EmbeddingGeometry geometry = EmbeddingGeometry.of(leaves);

    Map<ListOperator, Split> splits = model.testSplits(examplesPerOperator);
    Activations activations = Activations.collect(model, splits);
    LinearProbe probe = new LinearProbe(session);
    int[] values = activations.values();
    Map<String, Double> parityAccuracy = probeAll(probe, activations, values, n, parity);
    Map<String, Map<String, Double>> modular = new LinkedHashMap<>();
    Map<String, Double> cycleType = null;
    Optional<Group> group = domain.group();
    if (group.isPresent()) {
      cycleType = probeAll(probe, activations, values, n, cycleTypeClass(group.get()));
    } else {
      for (int p : primeFactors(n)) {
        modular.put(
            Integer.toString(p),
            p == 2 ? parityAccuracy : probeAll(probe, activations, values, n, v -> v % p));
      }
    }
    int evens = (int) IntStream.range(0, n).filter(v -> parity.applyAsInt(v) == 0).count();
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
        geometry.cosineSummary(parity),
        parityAccuracy,
        modular,
        activations.contexts(),
        folds,
        activations.attentionRatio(),
        activations.ffnRatio(),
        ablation,
        used,
        cycleType);
  }

  /**
   * The parity of a leaf: of a number, its value mod 2; of a permutation, its sign (0 even, 1 odd).
   */
  public static IntUnaryOperator parity(Domain domain) {
    return domain.group().<IntUnaryOperator>map(g -> g::sign).orElse(v -> v % 2);
  }

  /**
   * The class of an element's cycle type, in order of first appearance; -1 for the identity, alone
   * in its class (nothing to hold out), so the probe leaves it out.
   */
  static IntUnaryOperator cycleTypeClass(Group group) {
    List<String> types = new ArrayList<>();
    for (int a = 0; a < group.order(); a++) {
      if (a != group.identity() && !types.contains(group.cycleType(a))) {
        types.add(group.cycleType(a));
      }
    }
    return a -> a == group.identity() ? -1 : types.indexOf(group.cycleType(a));
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
