package dev.emergence.capacity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.HypergeometricDistribution;

/**
 * Two settings' transitions on one operator:
 *
 * <ul>
 *   <li>{@code ratio}: a's transition over b's (above 1: b learns at fewer parameters);
 *   <li>{@code ratio_ci90}: the 5th and 95th percentiles of the ratio over {@value
 *       Transition#BOOTSTRAP_SAMPLES} bootstrap resamples of both settings (seeds drawn within each
 *       size, fixed seed, estimated as in {@link Transition}); an end is null where resamples put a
 *       transition beyond the sizes run;
 *   <li>{@code p_value}: one-sided, that b learns at smaller sizes than a. The statistic is the
 *       number of b's seeds that learned, summed over the parameter counts both settings ran; the
 *       test permutes the setting labels among the pooled seeds of each such size (under the null
 *       hypothesis a seed of a and one of b are equally likely to learn at every size). Its
 *       permutation distribution, a sum of one hypergeometric count per size, is enumerated
 *       exactly, so p has no Monte Carlo error.
 * </ul>
 *
 * Nulls come with a reason: a transition that is not claimed gives no ratio, and settings that
 * share no parameter count (another modulus changes the vocabulary) give no p value.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
// Arrays by design: the 90% interval is the JSON pair [low, high] of the comparisons file.
@SuppressWarnings("ArrayRecordComponent")
public record Comparison(
    String op, String a, String b, Double ratio, Double[] ratioCi90, Double pValue, String reason) {

  /**
   * A pair to compare: settings a and b on operator {@code op}, or on every operator both have (op
   * null).
   */
  public record Pair(String a, String b, String op) {
    /**
     * {@code A;B} or {@code A;B;OP}, e.g. {@code SUM;MAX,MED,SUM} or {@code
     * SUM|modulus=11;MAX,MED,SUM|modulus=11;SUM}.
     */
    public static Pair parse(String text) {
      String[] parts = text.split(";", -1);
      Preconditions.checkArgument(
          (parts.length == 2 || parts.length == 3)
              && Arrays.stream(parts).noneMatch(String::isBlank),
          "--compare expects A;B or A;B;OP (two settings as thresholds.json names them, optionally one operator), got '%s'",
          text);
      return new Pair(
          parts[0].strip(), parts[1].strip(), parts.length == 3 ? parts[2].strip() : null);
    }
  }

  public static Comparison of(String op, String a, Transition ta, String b, Transition tb) {
    Outcomes oa = ta.outcomes();
    Outcomes ob = tb.outcomes();
    List<String> reasons = new ArrayList<>();
    Double ratio = null;
    Double[] ci = null;
    if (ta.params() == null || tb.params() == null) {
      reasons.add(
          "no ratio: "
              + (ta.params() == null ? a : b)
              + " has no transition on "
              + op
              + " ("
              + (ta.params() == null ? ta : tb).reason()
              + ")");
    } else {
      ratio = Math.exp(Transition.logTransition(oa, null) - Transition.logTransition(ob, null));
      SplittableRandom random = new SplittableRandom(Transition.BOOTSTRAP_SEED);
      double[] replicates = new double[Transition.BOOTSTRAP_SAMPLES];
      for (int r = 0; r < replicates.length; r++) {
        double la = Transition.logTransition(oa.resample(random), random);
        double lb = Transition.logTransition(ob.resample(random), random);
        replicates[r] = la - lb; // NaN when both lie beyond (or both below) the sizes run
      }
      double[] interval = Transition.interval(replicates);
      ci = new Double[] {ratio(interval[0]), ratio(interval[1])};
    }
    Double p = pValue(oa, ob);
    if (p == null) {
      reasons.add("no p value: " + a + " and " + b + " share no parameter count");
    }
    return new Comparison(
        op, a, b, ratio, ci, p, reasons.isEmpty() ? null : String.join("; ", reasons));
  }

  private static Double ratio(double logRatio) {
    return Double.isInfinite(logRatio) ? null : Math.exp(logRatio);
  }

  /**
   * A p value for a table: three decimals, or two significant digits below 0.001 (an exact
   * permutation test can go far lower, and "0.000" would read as impossible).
   */
  public static String formatP(double p) {
    return String.format(Locale.ROOT, p >= 0.001 ? "%.3f" : "%.1e", p);
  }

  /**
   * P(S >= observed S) under the permutation distribution of S, the count of b's learned seeds at
   * the sizes both ran; null when they share no size.
   */
  static Double pValue(Outcomes a, Outcomes b) {
    Map<Long, int[]> countsA = a.counts();
    double[] distribution = {1}; // P(S = s) over the sizes added so far
    int observed = 0;
    boolean shared = false;
    for (Outcomes.Size sb : b.sizes()) {
      int[] ca = countsA.get(sb.params());
      if (ca == null) {
        continue;
      }
      shared = true;
      observed += sb.learned();
      int pooledLearned = ca[0] + sb.learned();
      // b's count at this size when b's seeds are a random subset of the pooled seeds
      HypergeometricDistribution h =
          new HypergeometricDistribution(null, ca[1] + sb.seeds(), pooledLearned, sb.seeds());
      double[] next = new double[distribution.length + sb.seeds()];
      for (int s = 0; s < distribution.length; s++) {
        for (int k = 0; k <= sb.seeds(); k++) {
          next[s + k] += distribution[s] * h.probability(k);
        }
      }
      distribution = next;
    }
    if (!shared) {
      return null;
    }
    double p = 0;
    for (int s = observed; s < distribution.length; s++) {
      p += distribution[s];
    }
    return Math.min(1, p);
  }
}
