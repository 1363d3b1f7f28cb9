package dev.emergence.capacity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.commons.math3.stat.interval.ConfidenceInterval;
import org.apache.commons.math3.stat.interval.WilsonScoreInterval;

/**
 * The learning transition of one setting and operator, for outcomes that are all or nothing (a seed
 * learns, reaching the target accuracy, or stays near chance):
 *
 * <ul>
 *   <li>{@code params}: where a logistic curve of P(learn) against ln(params), fitted to every
 *       seed's outcome by Firth's penalized maximum likelihood ({@link FirthLogistic}), crosses
 *       1/2. When that point falls between a size where no seed learned and the next where every
 *       seed did, the data cannot place it more finely than that gap: the transition is the gap's
 *       midpoint in ln(params).
 *   <li>{@code ci90}: the 5th and 95th percentiles over {@value #BOOTSTRAP_SAMPLES} bootstrap
 *       resamples (seeds drawn with replacement within each size; fixed seed), each estimated the
 *       same way except that a resample's transition inside such a gap is drawn uniformly (in
 *       ln(params)) over it. An end is null where resamples fall beyond the sizes run (no seed
 *       learns, or P(learn) does not rise).
 *   <li>{@code fraction_learned}: per parameter count, {@code [learned, seeds]}; {@code
 *       fraction_ci90} its 90% Wilson score interval.
 * </ul>
 *
 * {@code params} is null, with a reason, when no seed or every seed learned, P(learn) does not rise
 * with size, only one size was run, or the crossing lies outside the sizes run.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
// Arrays by design: the interval is the JSON pair [low, high] in the transitions file.
@SuppressWarnings("ArrayRecordComponent")
public record Transition(
    Long params,
    Long[] ci90,
    Double slope,
    TreeMap<Long, int[]> fractionLearned,
    TreeMap<Long, double[]> fractionCi90,
    String reason) {
  static final int BOOTSTRAP_SAMPLES = 2000;
  static final long BOOTSTRAP_SEED = 0x7E5E1DL;
  static final double CONFIDENCE = 0.9;

  public static Transition of(List<Thresholds.Point> points, double target) {
    return of(Outcomes.of(points, target));
  }

  public static Transition of(Outcomes outcomes) {
    TreeMap<Long, int[]> counts = outcomes.counts();
    TreeMap<Long, double[]> wilson = new TreeMap<>();
    counts.forEach((params, c) -> wilson.put(params, wilson(c[0], c[1])));
    List<Outcomes.Size> sizes = outcomes.sizes();
    long smallest = sizes.get(0).params();
    long largest = sizes.get(sizes.size() - 1).params();
    FirthLogistic fit = sizes.size() >= 2 ? outcomes.fit() : null;
    Double slope = fit == null ? null : fit.slope();
    String reason = null;
    if (sizes.size() < 2) {
      reason = "one size only: a curve against size needs at least two";
    } else if (outcomes.learned() == 0) {
      reason =
          "no seed learned at any size: the transition lies beyond the largest size run ("
              + largest
              + ")";
    } else if (outcomes.learned() == outcomes.seeds()) {
      reason =
          "every seed learned at every size: the transition lies below the smallest size run ("
              + smallest
              + ")";
    }
    if (reason != null) {
      return new Transition(null, null, slope, counts, wilson, reason);
    }
    double log = logTransition(outcomes, null);
    if (log == Double.POSITIVE_INFINITY) {
      reason = "P(learn) does not rise with size: the logistic fit has no positive slope";
    } else if (log > Math.log((double) largest)) {
      reason =
          String.format(
              Locale.ROOT,
              "P(learn) crosses 1/2 at %.3g parameters, beyond the largest size run (%d): an extrapolation, not a measurement",
              Math.exp(log),
              largest);
    } else if (log < Math.log((double) smallest)) {
      reason =
          String.format(
              Locale.ROOT,
              "P(learn) crosses 1/2 at %.3g parameters, below the smallest size run (%d): the transition is at most that size",
              Math.exp(log),
              smallest);
    }
    if (reason != null) {
      return new Transition(null, null, slope, counts, wilson, reason);
    }
    SplittableRandom random = new SplittableRandom(BOOTSTRAP_SEED);
    double[] replicates = new double[BOOTSTRAP_SAMPLES];
    for (int b = 0; b < BOOTSTRAP_SAMPLES; b++) {
      replicates[b] = logTransition(outcomes.resample(random), random);
    }
    double[] ci = interval(replicates);
    return new Transition(
        Math.round(Math.exp(log)),
        new Long[] {params(ci[0]), params(ci[1])},
        slope,
        counts,
        wilson,
        null);
  }

  /** The outcomes this transition was estimated from. */
  public Outcomes outcomes() {
    return Outcomes.of(fractionLearned);
  }

  /**
   * ln of the transition: +infinity when no seed learned or P(learn) does not rise with size,
   * -infinity when every seed learned; inside a gap the data cannot see into ({@link
   * Outcomes#unanimousGap}) its midpoint, or with {@code jitter} a uniform draw over it.
   */
  static double logTransition(Outcomes outcomes, SplittableRandom jitter) {
    if (outcomes.learned() == 0) {
      return Double.POSITIVE_INFINITY;
    }
    if (outcomes.learned() == outcomes.seeds()) {
      return Double.NEGATIVE_INFINITY;
    }
    FirthLogistic fit = outcomes.fit();
    if (fit == null || !(fit.slope() > 0)) {
      return Double.POSITIVE_INFINITY;
    }
    double crossing = fit.crossing();
    double[] gap = outcomes.unanimousGap(crossing);
    if (gap == null) {
      return crossing;
    }
    return jitter == null
        ? (gap[0] + gap[1]) / 2
        : gap[0] + jitter.nextDouble() * (gap[1] - gap[0]);
  }

  /**
   * The 5th and 95th percentiles (nearest rank, so infinite ends stay infinite) of bootstrap
   * replicates; an undefined replicate (NaN) counts against both ends: -infinity for the lower,
   * +infinity for the upper.
   */
  static double[] interval(double[] replicates) {
    double[] low =
        Arrays.stream(replicates)
            .map(r -> Double.isNaN(r) ? Double.NEGATIVE_INFINITY : r)
            .sorted()
            .toArray();
    double[] high =
        Arrays.stream(replicates)
            .map(r -> Double.isNaN(r) ? Double.POSITIVE_INFINITY : r)
            .sorted()
            .toArray();
    double tail = (1 - CONFIDENCE) / 2;
    return new double[] {low[rank(tail, low.length)], high[rank(1 - tail, high.length)]};
  }

  private static int rank(double quantile, int n) {
    return Math.min(n - 1, Math.max(0, (int) Math.ceil(quantile * n) - 1));
  }

  /** A parameter count from ln(params); null for an end beyond the sizes (infinite). */
  private static Long params(double log) {
    return Double.isInfinite(log) ? null : Math.round(Math.exp(log));
  }

  /**
   * The 90% Wilson score interval of {@code learned} out of {@code seeds}, rounded to 4 decimals.
   */
  static double[] wilson(int learned, int seeds) {
    ConfidenceInterval ci = new WilsonScoreInterval().createInterval(seeds, learned, CONFIDENCE);
    return new double[] {
      round4(Math.max(0, ci.getLowerBound())), round4(Math.min(1, ci.getUpperBound()))
    };
  }

  private static double round4(double v) {
    return Math.round(v * 1e4) / 1e4;
  }
}
