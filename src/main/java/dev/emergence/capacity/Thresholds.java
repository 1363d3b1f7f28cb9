package dev.emergence.capacity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.commons.math3.analysis.ParametricUnivariateFunction;
import org.apache.commons.math3.exception.ConvergenceException;
import org.apache.commons.math3.exception.TooManyIterationsException;
import org.apache.commons.math3.fitting.WeightedObservedPoint;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresProblem;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.util.Pair;

/**
 * The learning threshold of one operator in one setting, from accuracies over sizes and seeds:
 *
 * <ul>
 *   <li>the grid threshold: the smallest size from which the median over seeds stays at or above
 *       the target at every larger size;
 *   <li>the fitted threshold: where a logistic curve in log(params), rising from the majority
 *       baseline to 1, fitted to every (size, seed) accuracy, crosses the target;
 *   <li>its 90% interval: the 5th and 95th percentiles of the fitted threshold over bootstrap
 *       resamples of the seeds (each resample draws whole seeds, every size of a seed together).
 * </ul>
 *
 * Null values come with a reason: nothing reaches the target, accuracy does not rise with size, the
 * sweep has one size only, the target is at or below the baseline, or the fitted curve crosses the
 * target outside the sizes run (an extrapolation: the fit is kept, the threshold is not claimed).
 *
 * <p>Beside them, the {@link Transition}: the same accuracies read as all-or-nothing outcomes (a
 * seed learned or not), which is what they are when seeds split into learners and ones near chance.
 */
public final class Thresholds {
  static final int BOOTSTRAP_SAMPLES = 1000;

  private Thresholds() {}

  /** One trained model's accuracy on one operator. */
  public record Point(long params, long seed, double accuracy) {}

  /**
   * The fitted curve {@code baseline + (1 - baseline) / (1 + exp(-slope (ln p - ln midpoint)))}.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Fit(double midpointParams, double slope, double baseline, double rmse, int points) {
    public double accuracyAt(double params) {
      return baseline
          + (1 - baseline) / (1 + Math.exp(-slope * (Math.log(params) - Math.log(midpointParams))));
    }

    /** Where the curve crosses {@code target} (which must lie between the baseline and 1). */
    double crossing(double target) {
      double q = (target - baseline) / (1 - baseline);
      return Math.exp(Math.log(midpointParams) + Math.log(q / (1 - q)) / slope);
    }
  }

  /** What thresholds.json holds for one setting and operator. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  // Arrays by design: intervals are JSON pairs [low, high] in the thresholds file.
  @SuppressWarnings("ArrayRecordComponent")
  public record Threshold(
      Long thresholdParams,
      long[] thresholdParamsCi,
      Long gridThresholdParams,
      Fit fit,
      String reason,
      Transition transition) {}

  public static Threshold of(List<Point> points, double baseline, double target) {
    Preconditions.checkArgument(!points.isEmpty(), "no accuracies to find a threshold in");
    Preconditions.checkArgument(
        target > 0 && target <= 1, "target accuracy must be in (0, 1], got %s", target);
    Long grid = gridThreshold(points, target);
    Transition transition = Transition.of(points, target);
    if (target <= baseline) {
      return new Threshold(
          null,
          null,
          grid,
          null,
          "the target " + target + " is at or below the majority baseline " + baseline,
          transition);
    }
    if (points.stream().noneMatch(p -> p.accuracy() >= target)) {
      return new Threshold(
          null, null, grid, null, "no model reached " + target + " at any size", transition);
    }
    if (points.stream().map(Point::params).distinct().count() < 2) {
      return new Threshold(
          null,
          null,
          grid,
          null,
          "one size only: a curve against size needs at least two",
          transition);
    }
    Fit fit = fit(points, baseline);
    if (fit == null || fit.slope() <= 0) {
      return new Threshold(
          null,
          null,
          grid,
          fit,
          "accuracy does not rise with size: the logistic fit has no positive slope",
          transition);
    }
    double crossing = fit.crossing(target);
    long smallest = points.stream().mapToLong(Point::params).min().orElseThrow();
    long largest = points.stream().mapToLong(Point::params).max().orElseThrow();
    if (crossing > largest) {
      return new Threshold(
          null,
          null,
          grid,
          fit,
          String.format(
              Locale.ROOT,
              "the fitted curve crosses %s at %.3g parameters, beyond the largest size run (%d): an extrapolation, not a measurement",
              target,
              crossing,
              largest),
          transition);
    }
    if (crossing < smallest) {
      return new Threshold(
          null,
          null,
          grid,
          fit,
          String.format(
              Locale.ROOT,
              "the fitted curve crosses %s at %.3g parameters, below the smallest size run (%d): the threshold is at most that size",
              target,
              crossing,
              smallest),
          transition);
    }
    return new Threshold(
        Math.round(crossing), interval(points, baseline, target), grid, fit, null, transition);
  }

  /**
   * The smallest size from which the median over seeds is at or above target at every larger size.
   */
  static Long gridThreshold(List<Point> points, double target) {
    TreeMap<Long, List<Double>> bySize = new TreeMap<>();
    for (Point p : points) {
      bySize.computeIfAbsent(p.params(), k -> new ArrayList<>()).add(p.accuracy());
    }
    Long threshold = null;
    for (Map.Entry<Long, List<Double>> size : bySize.descendingMap().entrySet()) {
      double median =
          new Median()
              .evaluate(size.getValue().stream().mapToDouble(Double::doubleValue).toArray());
      if (median < target) {
        break;
      }
      threshold = size.getKey();
    }
    return threshold;
  }

  /** Least-squares logistic fit in log(params); null when the fit does not converge. */
  static Fit fit(List<Point> points, double baseline) {
    List<WeightedObservedPoint> observed = new ArrayList<>();
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    for (Point p : points) {
      double x = Math.log((double) p.params());
      observed.add(new WeightedObservedPoint(1, x, p.accuracy()));
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
    }
    double span = Math.max(maxX - minX, 0.5);
    Logistic curve = new Logistic(baseline);
    double[] best = null;
    double bestSse = Double.POSITIVE_INFINITY;
    // several starting midpoints: the sum of squares has flat regions where one start can stall
    for (int i = 0; i <= 4; i++) {
      double[] start = {minX + span * i / 4, 4 / span};
      try {
        double[] p =
            new LevenbergMarquardtOptimizer()
                .optimize(problem(curve, observed, start))
                .getPoint()
                .toArray();
        double sse = 0;
        for (WeightedObservedPoint o : observed) {
          double r = o.getY() - curve.value(o.getX(), p);
          sse += r * r;
        }
        if (sse < bestSse) {
          bestSse = sse;
          best = p;
        }
      } catch (ConvergenceException | TooManyIterationsException e) {
        // try the next start
      }
    }
    if (best == null) {
      return null;
    }
    return new Fit(
        Math.exp(best[0]),
        best[1],
        baseline,
        Math.sqrt(bestSse / observed.size()),
        observed.size());
  }

  /**
   * The least-squares problem SimpleCurveFitter would build, without its weight matrix: every
   * weight is 1, and the fitter's dense n x n diagonal weighting made each iteration O(n^2) (the
   * bootstrap of a 20-seed sweep took minutes). Same residuals and Jacobian, so the same fit.
   */
  private static LeastSquaresProblem problem(
      Logistic curve, List<WeightedObservedPoint> observed, double[] start) {
    double[] xs = observed.stream().mapToDouble(WeightedObservedPoint::getX).toArray();
    double[] ys = observed.stream().mapToDouble(WeightedObservedPoint::getY).toArray();
    return new LeastSquaresBuilder()
        .maxEvaluations(Integer.MAX_VALUE)
        .maxIterations(2000)
        .start(start)
        .target(ys)
        .model(
            point -> {
              double[] p = point.toArray();
              double[] values = new double[xs.length];
              double[][] jacobian = new double[xs.length][];
              for (int i = 0; i < xs.length; i++) {
                values[i] = curve.value(xs[i], p);
                jacobian[i] = curve.gradient(xs[i], p);
              }
              return new Pair<>(
                  new ArrayRealVector(values, false), new Array2DRowRealMatrix(jacobian, false));
            })
        .build();
  }

  /**
   * The 90% bootstrap interval over seeds of the fitted threshold; null if too few resamples fit.
   */
  static long[] interval(List<Point> points, double baseline, double target) {
    Map<Long, List<Point>> bySeed =
        points.stream()
            .collect(Collectors.groupingBy(Point::seed, TreeMap::new, Collectors.toList()));
    List<List<Point>> seeds = new ArrayList<>(bySeed.values());
    SplittableRandom random = new SplittableRandom(0x7E5E1DL);
    List<Double> crossings = new ArrayList<>();
    for (int b = 0; b < BOOTSTRAP_SAMPLES; b++) {
      List<Point> sample = new ArrayList<>();
      for (int s = 0; s < seeds.size(); s++) {
        sample.addAll(seeds.get(random.nextInt(seeds.size())));
      }
      if (sample.stream().noneMatch(p -> p.accuracy() >= target)) {
        crossings.add(
            Double.POSITIVE_INFINITY); // this resample never learns: the threshold lies beyond the
        // grid
        continue;
      }
      Fit fit = fit(sample, baseline);
      crossings.add(
          fit == null || fit.slope() <= 0 ? Double.POSITIVE_INFINITY : fit.crossing(target));
    }
    double[] values = crossings.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    Percentile percentile = new Percentile();
    // interpolating between two infinite crossings gives NaN: that end lies beyond the grid too
    return new long[] {
      bound(percentile.evaluate(values, 5)), bound(percentile.evaluate(values, 95))
    };
  }

  private static long bound(double params) {
    return Double.isNaN(params) || Double.isInfinite(params) ? Long.MAX_VALUE : Math.round(params);
  }

  /** The logistic in x = ln(params) with parameters (ln midpoint, slope) and a fixed baseline. */
  private record Logistic(double baseline) implements ParametricUnivariateFunction {
    @Override
    public double value(double x, double... p) {
      return baseline + (1 - baseline) / (1 + Math.exp(-p[1] * (x - p[0])));
    }

    @Override
    public double[] gradient(double x, double... p) {
      double s = 1 / (1 + Math.exp(-p[1] * (x - p[0])));
      double ds = (1 - baseline) * s * (1 - s);
      return new double[] {-p[1] * ds, (x - p[0]) * ds};
    }
  }
}
