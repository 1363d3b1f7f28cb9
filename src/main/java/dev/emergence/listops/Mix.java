package dev.emergence.listops;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Operators with sampling weights. Text form: {@code SUM}, {@code MAX,MED,SUM} (equal weights) or
 * {@code MAX:1,MED:1,SUM:2} (ratios; any positive number). {@link #toString()} round-trips through
 * {@link #parse(String)}: weights are printed unless all are 1.
 */
public record Mix(List<Operator> operators, List<Double> weights) {
  public Mix {
    Preconditions.checkArgument(!operators.isEmpty(), "a mix needs at least one operator");
    Preconditions.checkArgument(
        operators.size() == weights.size(),
        "a mix needs one weight per operator, got %s operators and %s weights", operators.size(), weights.size());
    Preconditions.checkArgument(
        EnumSet.copyOf(operators).size() == operators.size(), "operators must not repeat in a mix, got %s", operators);
    for (int i = 0; i < weights.size(); i++) {
      double w = weights.get(i);
      Preconditions.checkArgument(
          w > 0 && Double.isFinite(w), "weight of %s must be a positive number, got %s", operators.get(i), w);
    }
    operators = List.copyOf(operators);
    weights = List.copyOf(weights);
  }

  /** Equal weights. */
  public static Mix of(Operator... operators) {
    List<Double> weights = new ArrayList<>();
    for (int i = 0; i < operators.length; i++) weights.add(1.0);
    return new Mix(List.of(operators), weights);
  }

  public static Mix parse(String text) {
    Preconditions.checkArgument(
        text != null && !text.isBlank(), "empty operator mix: expected e.g. SUM or MAX,MED,SUM or MAX:1,SUM:2");
    List<Operator> operators = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String item = part.trim();
      int colon = item.indexOf(':');
      String name = colon < 0 ? item : item.substring(0, colon).trim();
      Operator op;
      try {
        op = Operator.named(name.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown operator '" + name + "' in mix '" + text + "' (known: " + Operator.known() + ")");
      }
      double weight = 1;
      if (colon >= 0) {
        String w = item.substring(colon + 1).trim();
        try {
          weight = Double.parseDouble(w);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "bad weight '" + w + "' for " + op + " in mix '" + text + "': expected a positive number as in SUM:2");
        }
      }
      operators.add(op);
      weights.add(weight);
    }
    return new Mix(operators, weights);
  }

  /** The share of operator {@code op} (0 if absent). */
  public double probability(Operator op) {
    int i = operators.indexOf(op);
    if (i < 0) return 0;
    double total = 0;
    for (double w : weights) total += w;
    return weights.get(i) / total;
  }

  /** A sampler over this mix for hot loops. */
  public Sampler sampler() {
    return new Sampler(this);
  }

  /** Draws operators with the mix's weights. */
  public static final class Sampler {
    private final Operator[] operators;
    private final double[] cumulative;

    private Sampler(Mix mix) {
      operators = mix.operators.toArray(new Operator[0]);
      cumulative = new double[operators.length];
      double total = 0;
      for (int i = 0; i < operators.length; i++) cumulative[i] = total += mix.weights.get(i);
      for (int i = 0; i < operators.length; i++) cumulative[i] /= total;
    }

    public Operator next(SplittableRandom random) {
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
        out.append(':').append(w == Math.rint(w) && Math.abs(w) < 1e15 ? Long.toString((long) w) : Double.toString(w));
      }
    }
    return out.toString();
  }
}
