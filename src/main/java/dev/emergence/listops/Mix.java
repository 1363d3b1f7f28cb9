package dev.emergence.listops;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Operators of one domain with sampling weights. Text form: {@code SUM}, {@code MAX,MED,SUM} (equal
 * weights) or {@code MAX:1,MED:1,SUM:2} (ratios; any positive number). {@link #toString()}
 * round-trips through {@link #parse(String)} (digits) and {@link #parse(String, Domain)}: weights
 * are printed unless all are 1.
 *
 * @param <O> {@link Operator} for ListOps, {@link GroupOperator} for group tasks
 */
public record Mix<O extends ListOperator>(List<O> operators, List<Double> weights) {
  public Mix {
    Preconditions.checkArgument(!operators.isEmpty(), "a mix needs at least one operator");
    Preconditions.checkArgument(
        operators.size() == weights.size(),
        "a mix needs one weight per operator, got %s operators and %s weights",
        operators.size(),
        weights.size());
    Preconditions.checkArgument(
        new HashSet<>(operators).size() == operators.size(),
        "operators must not repeat in a mix, got %s",
        operators);
    for (int i = 0; i < weights.size(); i++) {
      double w = weights.get(i);
      Preconditions.checkArgument(
          w > 0 && Double.isFinite(w),
          "weight of %s must be a positive number, got %s",
          operators.get(i),
          w);
    }
    operators = List.copyOf(operators);
    weights = List.copyOf(weights);
  }

  /** Equal weights. */
  @SafeVarargs
  public static <O extends ListOperator> Mix<O> of(O... operators) {
    List<O> list = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    for (O op : operators) {
      list.add(op);
      weights.add(1.0);
    }
    return new Mix<>(list, weights);
  }

  /** A mix of ListOps (digit) operators. */
  public static Mix<Operator> parse(String text) {
    Modulus digits = Modulus.of(Modulus.DEFAULT_N);
    return parse(text, digits.operators(), digits);
  }

  /** A mix of the operators of a domain. */
  public static Mix<? extends ListOperator> parse(String text, Domain domain) {
    return parse(text, domain.operators(), domain);
  }

  private static <O extends ListOperator> Mix<O> parse(String text, List<O> known, Domain domain) {
    if (text == null || text.isBlank()) {
      String a = known.get(0).name(), b = known.get(1).name();
      throw new IllegalArgumentException(
          "empty operator mix: expected e.g. "
              + a
              + " or "
              + a
              + ","
              + b
              + " or "
              + a
              + ":1,"
              + b
              + ":2 ("
              + domain.knownOperators("")
              + ")");
    }
    List<O> operators = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String item = part.trim();
      int colon = item.indexOf(':');
      String name = colon < 0 ? item : item.substring(0, colon).trim();
      O op = null;
      for (O candidate : known)
        if (candidate.name().equals(name.toUpperCase(Locale.ROOT))) op = candidate;
      if (op == null) {
        throw new IllegalArgumentException(
            "unknown operator '"
                + name
                + "' in mix '"
                + text
                + "' ("
                + domain.knownOperators(name.toUpperCase(Locale.ROOT))
                + ")");
      }
      double weight = 1;
      if (colon >= 0) {
        String w = item.substring(colon + 1).trim();
        try {
          weight = Double.parseDouble(w);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "bad weight '"
                  + w
                  + "' for "
                  + op.name()
                  + " in mix '"
                  + text
                  + "': expected a positive number as in "
                  + op.name()
                  + ":2");
        }
      }
      operators.add(op);
      weights.add(weight);
    }
    return new Mix<>(operators, weights);
  }

  /** The share of operator {@code op} (0 if absent). */
  public double probability(ListOperator op) {
    int i = operators.indexOf(op);
    if (i < 0) return 0;
    double total = 0;
    for (double w : weights) total += w;
    return weights.get(i) / total;
  }

  /**
   * The operators that pass {@code keep}, with their weights; this mix when all pass, null when
   * none does.
   */
  public Mix<O> restrictedTo(Predicate<? super O> keep) {
    List<O> kept = new ArrayList<>();
    List<Double> keptWeights = new ArrayList<>();
    for (int i = 0; i < operators.size(); i++) {
      if (keep.test(operators.get(i))) {
        kept.add(operators.get(i));
        keptWeights.add(weights.get(i));
      }
    }
    if (kept.size() == operators.size()) return this;
    return kept.isEmpty() ? null : new Mix<>(kept, keptWeights);
  }

  /** A sampler over this mix for hot loops. */
  public Sampler sampler() {
    return new Sampler(this);
  }

  /** Draws operators with the mix's weights. */
  public static final class Sampler {
    private final ListOperator[] operators;
    private final double[] cumulative;

    private Sampler(Mix<?> mix) {
      operators = mix.operators.toArray(new ListOperator[0]);
      cumulative = new double[operators.length];
      double total = 0;
      for (int i = 0; i < operators.length; i++) cumulative[i] = total += mix.weights.get(i);
      for (int i = 0; i < operators.length; i++) cumulative[i] /= total;
    }

    public ListOperator next(SplittableRandom random) {
      if (operators.length == 1) return operators[0];
      double u = random.nextDouble();
      for (int i = 0; i < operators.length - 1; i++) if (u < cumulative[i]) return operators[i];
      return operators[operators.length - 1];
    }
  }

  @Override
  public String toString() {
    boolean equal = weights.stream().allMatch(w -> w == 1.0);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < operators.size(); i++) {
      if (i > 0) out.append(',');
      out.append(operators.get(i).name());
      if (!equal) {
        double w = weights.get(i);
        out.append(':')
            .append(
                w == Math.rint(w) && Math.abs(w) < 1e15
                    ? Long.toString((long) w)
                    : Double.toString(w));
      }
    }
    return out.toString();
  }
}
