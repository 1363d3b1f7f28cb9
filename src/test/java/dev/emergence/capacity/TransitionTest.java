package dev.emergence.capacity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.report.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransitionTest {
  private static final long[] SIZES = {250, 500, 1000, 2000, 4000, 8000};

  /** Seeds that learn with probability 1 / (1 + (transition / params)^slope) at each size. */
  static Outcomes simulated(double transition, double slope, int seeds, long randomSeed) {
    SplittableRandom random = new SplittableRandom(randomSeed);
    List<Outcomes.Size> sizes = new ArrayList<>();
    for (long size : SIZES) {
      double p = 1 / (1 + Math.pow(transition / size, slope));
      int learned = 0;
      for (int s = 0; s < seeds; s++) {
        learned += random.nextDouble() < p ? 1 : 0;
      }
      sizes.add(new Outcomes.Size(size, learned, seeds));
    }
    return new Outcomes(sizes);
  }

  static Outcomes counts(int seeds, int... learned) {
    List<Outcomes.Size> sizes = new ArrayList<>();
    for (int k = 0; k < learned.length; k++) {
      sizes.add(new Outcomes.Size(SIZES[k], learned[k], seeds));
    }
    return new Outcomes(sizes);
  }

  @Test
  void wilsonIntervalsMatchPublishedValues() {
    // Newcombe (1998), Statistics in Medicine 17:857, table I, 95% Wilson score intervals
    assertWilson(81, 263, 0.95, 0.2553, 0.3662);
    assertWilson(15, 148, 0.95, 0.0624, 0.1605);
    assertWilson(0, 20, 0.95, 0.0, 0.1611);
    assertWilson(1, 29, 0.95, 0.0061, 0.1718);
    // 90%, closed forms at the ends: 0 of n gives [0, z^2 / (n + z^2)], n of n gives [n / (n +
    // z^2), 1]
    double z2 = 1.6448536269514722 * 1.6448536269514722;
    assertArrayEquals(
        new double[] {0, Math.round(z2 / (5 + z2) * 1e4) / 1e4}, Transition.wilson(0, 5), 1e-12);
    assertArrayEquals(
        new double[] {Math.round(5 / (5 + z2) * 1e4) / 1e4, 1}, Transition.wilson(5, 5), 1e-12);
    assertEquals(0.3511, Transition.wilson(0, 5)[1], 1e-12);
  }

  private static void assertWilson(
      int successes, int trials, double level, double low, double high) {
    var ci =
        new org.apache.commons.math3.stat.interval.WilsonScoreInterval()
            .createInterval(trials, successes, level);
    assertEquals(low, Math.max(0, ci.getLowerBound()), 5e-5, successes + "/" + trials);
    assertEquals(high, ci.getUpperBound(), 5e-5, successes + "/" + trials);
  }

  @Test
  void theFirthFitRecoversAKnownCurveFromManySeeds() {
    Outcomes outcomes = simulated(1500, 3, 400, 1);
    FirthLogistic fit = outcomes.fit();
    assertEquals(3, fit.slope(), 0.3);
    assertEquals(1500, Math.exp(fit.crossing()), 100);
  }

  @Test
  void theTransitionOfSimulatedSeedsIsNearTheTrueOneAndInsideItsInterval() {
    Transition t = Transition.of(simulated(1500, 3, 20, 7));
    assertNull(t.reason());
    assertEquals(1500, t.params(), 250, "estimate " + t.params());
    assertTrue(
        t.ci90()[0] < 1500 && 1500 < t.ci90()[1],
        "interval " + t.ci90()[0] + ".." + t.ci90()[1] + " holds the truth");
    assertTrue(t.ci90()[0] <= t.params() && t.params() <= t.ci90()[1]);
    Transition more = Transition.of(simulated(1500, 3, 80, 7));
    assertTrue(
        more.ci90()[1] - more.ci90()[0] < t.ci90()[1] - t.ci90()[0],
        "four times the seeds narrow the interval");
  }

  @Test
  void allOrNothingAtEverySizePlacesTheTransitionInTheGap() {
    // no seed learns up to 1000, every seed from 2000
    Transition t = Transition.of(counts(5, 0, 0, 0, 5, 5, 5));
    assertNull(t.reason());
    assertEquals(
        Math.round(Math.sqrt(1000 * 2000.0)), t.params(), "the gap's midpoint in ln(params)");
    assertNotNull(t.slope());
    assertTrue(
        Double.isFinite(t.slope()) && t.slope() > 0,
        "a finite Firth slope, not a diverging one: " + t.slope());
    // every resample is the same all-or-nothing table: spread uniformly over the gap, the interval
    // is its
    // middle 90% (up to the sampling error of 2000 uniform draws)
    assertEquals(1000 * Math.pow(2, 0.05), t.ci90()[0], 10);
    assertEquals(1000 * Math.pow(2, 0.95), t.ci90()[1], 20);
    String json = Json.pretty(t);
    assertFalse(json.contains("NaN") || json.contains("Infinity"), json);
  }

  @Test
  void aGapThatIsUnanimousOnlyAroundTheCrossingStillHidesIt() {
    // mixed far below, unanimous around the crossing: 1/5 at 250, 0/5 at 500 and 1000, 5/5 above
    Transition t = Transition.of(counts(5, 1, 0, 0, 5, 5, 5));
    assertTrue(t.params() > 1000 && t.params() < 2000, "in the gap: " + t.params());
    assertTrue(t.ci90()[0] >= 250 && t.ci90()[1] <= 2000, t.ci90()[0] + ".." + t.ci90()[1]);
  }

  @Test
  void nullsComeWithReasons() {
    Transition none = Transition.of(counts(5, 0, 0, 0, 0, 0, 0));
    assertNull(none.params());
    assertNull(none.ci90());
    assertTrue(none.reason().startsWith("no seed learned at any size"), none.reason());
    Transition all = Transition.of(counts(5, 5, 5, 5, 5, 5, 5));
    assertTrue(all.reason().startsWith("every seed learned at every size"), all.reason());
    Transition one = Transition.of(counts(5, 3));
    assertEquals("one size only: a curve against size needs at least two", one.reason());
    assertArrayEquals(new int[] {3, 5}, one.fractionLearned().get(250L));
    Transition falling = Transition.of(counts(5, 5, 5, 4, 1, 0, 0));
    assertNull(falling.params());
    assertTrue(falling.reason().contains("does not rise with size"), falling.reason());
    Transition early = Transition.of(counts(5, 4, 5, 5, 5, 5, 5));
    assertNull(early.params());
    assertTrue(early.reason().contains("below the smallest size run (250)"), early.reason());
  }

  @Test
  void resamplesWithoutALearningSeedLeaveTheUpperEndOpen() {
    // one seed of five learns, at the largest size only: many resamples have none
    Transition t = Transition.of(counts(5, 0, 0, 0, 0, 1, 5));
    assertNotNull(t.params());
    assertNotNull(t.ci90()[0]);
    assertTrue(t.ci90()[1] == null || t.ci90()[1] <= 8000);
    Transition rare = Transition.of(counts(5, 0, 0, 0, 0, 1, 2));
    assertNull(rare.params(), "crosses 1/2 beyond 8000: " + rare.reason());
    assertTrue(rare.reason().contains("beyond the largest size run (8000)"), rare.reason());
  }

  @Test
  void fromAccuraciesASeedLearnsAtOrAboveTheTarget() {
    List<Thresholds.Point> points =
        List.of(
            new Thresholds.Point(100, 0, 0.9), new Thresholds.Point(100, 1, 0.899),
            new Thresholds.Point(200, 0, 0.95), new Thresholds.Point(200, 1, 0.12));
    Transition t = Transition.of(points, 0.9);
    assertArrayEquals(new int[] {1, 2}, t.fractionLearned().get(100L));
    assertArrayEquals(new int[] {1, 2}, t.fractionLearned().get(200L));
  }

  @Test
  void sameOutcomesSameTransition() {
    Outcomes o = simulated(900, 2, 10, 3);
    assertEquals(Json.pretty(Transition.of(o)), Json.pretty(Transition.of(o)));
  }
}
