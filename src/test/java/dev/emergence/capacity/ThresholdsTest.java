package dev.emergence.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ThresholdsTest {
  private static final long[] SIZES = {250, 500, 1000, 2000, 4000, 8000};

  /** Accuracies drawn around a known logistic curve: seeds differ by noise of the given size. */
  private static List<Thresholds.Point> table(Thresholds.Fit truth, int seeds, double noise) {
    SplittableRandom random = new SplittableRandom(42);
    List<Thresholds.Point> points = new ArrayList<>();
    for (long size : SIZES) {
      for (int s = 0; s < seeds; s++) {
        double a = truth.accuracyAt((double) size) + noise * (random.nextDouble() * 2 - 1);
        points.add(new Thresholds.Point(size, s, Math.max(0, Math.min(1, a))));
      }
    }
    return points;
  }

  @Test
  void theFitFindsAKnownCrossingWithANarrowIntervalAroundIt() {
    Thresholds.Fit truth = new Thresholds.Fit(1000, 3, 0.1, 0, 0);
    double exact = truth.crossing(0.9); // 1000 * e^(ln 8 / 3) = 2000
    assertEquals(2000, exact, 1e-6);
    Thresholds.Threshold t = Thresholds.of(table(truth, 5, 0.02), 0.1, 0.9);
    assertNull(t.reason());
    assertEquals(2000, t.thresholdParams(), 200, "fitted crossing near the true one");
    long[] ci = t.thresholdParamsCi();
    assertTrue(
        ci[0] <= t.thresholdParams() && t.thresholdParams() <= ci[1],
        "interval " + ci[0] + ".." + ci[1] + " holds the estimate");
    assertTrue(
        ci[0] > 1500 && ci[1] < 2500,
        "with little noise the interval is narrow: " + ci[0] + ".." + ci[1]);
    assertEquals(3, t.fit().slope(), 0.5);
    assertEquals(
        4000L,
        t.gridThresholdParams(),
        "2000 sits right at 0.9, so the median there can fall below it");
  }

  @Test
  void noisierSeedsGiveAWiderInterval() {
    Thresholds.Fit truth = new Thresholds.Fit(1000, 3, 0.1, 0, 0);
    long[] calm = Thresholds.of(table(truth, 5, 0.01), 0.1, 0.9).thresholdParamsCi();
    long[] noisy = Thresholds.of(table(truth, 5, 0.25), 0.1, 0.9).thresholdParamsCi();
    assertTrue(
        noisy[1] - noisy[0] > calm[1] - calm[0],
        "noisy " + noisy[0] + ".." + noisy[1] + " vs calm " + calm[0] + ".." + calm[1]);
  }

  @Test
  void theGridThresholdMustHoldAtEveryLargerSize() {
    List<Thresholds.Point> points = new ArrayList<>();
    double[][] accuracies = {
      {0.95, 0.96, 0.2}, {0.5, 0.4, 0.3}, {0.95, 0.91, 0.1}, {0.97, 0.99, 0.98}
    };
    long[] sizes = {100, 200, 400, 800};
    for (int i = 0; i < sizes.length; i++) {
      for (int s = 0; s < 3; s++) {
        points.add(new Thresholds.Point(sizes[i], s, accuracies[i][s]));
      }
    }
    // medians 0.95, 0.4, 0.91, 0.98: learned at 100 but not at 200, so the threshold is 400
    assertEquals(400L, Thresholds.gridThreshold(points, 0.9));
    assertNull(Thresholds.gridThreshold(points, 0.99));
  }

  @Test
  void nothingLearnedGivesNullWithAReason() {
    List<Thresholds.Point> points = table(new Thresholds.Fit(1e9, 3, 0.1, 0, 0), 3, 0.01);
    Thresholds.Threshold t = Thresholds.of(points, 0.1, 0.9);
    assertNull(t.thresholdParams());
    assertNull(t.gridThresholdParams());
    assertEquals("no model reached 0.9 at any size", t.reason());
  }

  @Test
  void oneSizeOnlyGivesNoCurveButKeepsTheGridThreshold() {
    List<Thresholds.Point> points =
        List.of(new Thresholds.Point(15200, 0, 0.95), new Thresholds.Point(15200, 1, 0.78));
    Thresholds.Threshold t = Thresholds.of(points, 0.13, 0.9);
    assertNull(t.thresholdParams());
    assertNull(t.fit());
    assertEquals("one size only: a curve against size needs at least two", t.reason());
  }

  @Test
  void resamplesThatNeverLearnPutTheUpperEndBeyondTheGrid() {
    // one seed of five learns at the two largest sizes; most resamples hold no learning seed at all
    List<Thresholds.Point> points = new ArrayList<>();
    for (long size : SIZES) {
      for (int s = 0; s < 5; s++) {
        points.add(new Thresholds.Point(size, s, s == 0 && size >= 4000 ? 0.95 : 0.12));
      }
    }
    long[] ci = Thresholds.interval(points, 0.1, 0.9);
    assertTrue(ci[0] > 0 && ci[0] < Long.MAX_VALUE, "lower end " + ci[0]);
    assertEquals(
        Long.MAX_VALUE,
        ci[1],
        "upper end beyond the grid, not a number from interpolating infinities");
  }

  @Test
  void aCrossingOutsideTheSizesRunIsNotClaimed() {
    // the curve of the first test, sampled only below its crossing at 2000 (one seed touches 0.9)
    List<Thresholds.Point> low = new ArrayList<>();
    for (long size : new long[] {250, 500, 1000}) {
      for (int s = 0; s < 3; s++) {
        low.add(
            new Thresholds.Point(
                size,
                s,
                size == 1000 && s == 0
                    ? 0.9
                    : new Thresholds.Fit(1000, 3, 0.1, 0, 0).accuracyAt((double) size)));
      }
    }
    Thresholds.Threshold beyond = Thresholds.of(low, 0.1, 0.9);
    assertNull(beyond.thresholdParams());
    assertNull(beyond.thresholdParamsCi());
    assertNotNull(beyond.fit());
    assertTrue(beyond.reason().contains("beyond the largest size run (1000)"), beyond.reason());
    // and sampled only above it (0.92 at 2200)
    List<Thresholds.Point> high = new ArrayList<>();
    for (long size : new long[] {2200, 4000, 8000}) {
      for (int s = 0; s < 3; s++) {
        high.add(
            new Thresholds.Point(
                size, s, new Thresholds.Fit(1000, 3, 0.1, 0, 0).accuracyAt((double) size)));
      }
    }
    Thresholds.Threshold below = Thresholds.of(high, 0.1, 0.9);
    assertNull(below.thresholdParams());
    assertTrue(below.reason().contains("below the smallest size run (2200)"), below.reason());
    assertEquals(2200L, below.gridThresholdParams());
  }

  @Test
  void aTargetAtTheBaselineIsNoThreshold() {
    Thresholds.Threshold t =
        Thresholds.of(table(new Thresholds.Fit(1000, 3, 0.6, 0, 0), 3, 0), 0.6, 0.5);
    assertNull(t.thresholdParams());
    assertNotNull(t.reason());
    assertTrue(t.reason().contains("at or below the majority baseline"), t.reason());
  }

  @Test
  void sameTableSameAnswer() {
    List<Thresholds.Point> points = table(new Thresholds.Fit(700, 2, 0.1, 0, 0), 5, 0.1);
    Thresholds.Threshold a = Thresholds.of(points, 0.1, 0.9);
    Thresholds.Threshold b = Thresholds.of(points, 0.1, 0.9);
    assertEquals(a.thresholdParams(), b.thresholdParams());
    assertEquals(a.thresholdParamsCi()[0], b.thresholdParamsCi()[0]);
    assertEquals(a.thresholdParamsCi()[1], b.thresholdParamsCi()[1]);
  }
}
