package dev.emergence.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {
  private static Comparison compare(Outcomes a, Outcomes b) {
    return Comparison.of("SUM", "a", Transition.of(a), "b", Transition.of(b));
  }

  @Test
  void clearlySeparatedSettingsGiveASmallPAndARatioAboveOne() {
    // b's transition at 700, a's at 2800: four times fewer parameters
    Comparison c =
        compare(
            TransitionTest.simulated(2800, 4, 20, 11), TransitionTest.simulated(700, 4, 20, 12));
    assertTrue(c.pValue() < 0.001, "p " + c.pValue());
    assertEquals(4, c.ratio(), 1.2);
    assertTrue(c.ratioCi90()[0] > 1.5, "interval " + c.ratioCi90()[0] + ".." + c.ratioCi90()[1]);
    assertTrue(c.ratioCi90()[0] <= c.ratio() && c.ratio() <= c.ratioCi90()[1]);
    assertNull(c.reason());
    assertTrue(
        compare(TransitionTest.simulated(700, 4, 20, 12), TransitionTest.simulated(2800, 4, 20, 11))
                .pValue()
            > 0.999,
        "the other way round the one-sided test finds nothing");
  }

  @Test
  void identicalSettingsGiveALargePAndARatioIntervalAroundOne() {
    Outcomes same = TransitionTest.simulated(1500, 3, 10, 5);
    Comparison c = compare(same, same);
    assertTrue(c.pValue() > 0.4, "p " + c.pValue());
    assertEquals(1, c.ratio(), 1e-12);
    assertTrue(
        c.ratioCi90()[0] < 1 && 1 < c.ratioCi90()[1], c.ratioCi90()[0] + ".." + c.ratioCi90()[1]);
    Comparison twins =
        compare(TransitionTest.simulated(1500, 3, 10, 5), TransitionTest.simulated(1500, 3, 10, 6));
    assertTrue(twins.pValue() > 0.1, "two draws of one curve: p " + twins.pValue());
  }

  @Test
  void thePValueIsTheExactPermutationProbability() {
    // one informative size: a 0 of 5, b 5 of 5; only 1 of the C(10, 5) = 252 labelings gives b all
    // five learners
    Outcomes a = TransitionTest.counts(5, 0, 0, 5);
    Outcomes b = TransitionTest.counts(5, 0, 5, 5);
    assertEquals(1.0 / 252, Comparison.pValue(a, b), 1e-12);
    // a 1 of 5, b 4 of 5: P(b >= 4 of the 5 pooled learners) = (C(5,4) C(5,1) + C(5,5) C(5,0)) /
    // 252 = 26 / 252
    assertEquals(
        26.0 / 252,
        Comparison.pValue(TransitionTest.counts(5, 0, 1, 5), TransitionTest.counts(5, 0, 4, 5)),
        1e-12);
    // sizes where both settings are unanimous carry no information
    assertEquals(
        1.0,
        Comparison.pValue(TransitionTest.counts(5, 0, 0, 5), TransitionTest.counts(5, 0, 0, 5)),
        1e-12);
  }

  @Test
  void settingsWithoutACommonSizeHaveNoPValue() {
    Outcomes a = new Outcomes(List.of(new Outcomes.Size(364, 0, 5), new Outcomes.Size(2244, 5, 5)));
    Outcomes b = new Outcomes(List.of(new Outcomes.Size(368, 1, 5), new Outcomes.Size(2256, 5, 5)));
    Comparison c = compare(a, b);
    assertNull(c.pValue());
    assertNotNull(c.ratio());
    assertTrue(c.reason().contains("share no parameter count"), c.reason());
  }

  @Test
  void aSettingWithoutTransitionGivesNoRatio() {
    Comparison c =
        compare(
            TransitionTest.counts(5, 0, 0, 0, 0, 0, 0), TransitionTest.counts(5, 0, 0, 2, 5, 5, 5));
    assertNull(c.ratio());
    assertNull(c.ratioCi90());
    assertTrue(c.pValue() < 0.01);
    assertTrue(c.reason().startsWith("no ratio: a has no transition on SUM"), c.reason());
  }

  @Test
  void pairsParseFromTheCommandLine() {
    assertEquals(
        new Comparison.Pair("SUM", "MAX,MED,SUM", null), Comparison.Pair.parse("SUM;MAX,MED,SUM"));
    assertEquals(
        new Comparison.Pair("SUM|modulus=11", "MAX,MED,SUM|modulus=11", "SUM"),
        Comparison.Pair.parse("SUM|modulus=11; MAX,MED,SUM|modulus=11 ;SUM"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Comparison.Pair.parse("SUM"));
    assertTrue(e.getMessage().startsWith("--compare expects A;B or A;B;OP"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Comparison.Pair.parse("SUM;;SUM"));
  }

  @Test
  void smallPValuesKeepTwoSignificantDigits() {
    assertEquals("0.058", Comparison.formatP(0.0581));
    assertEquals("0.001", Comparison.formatP(0.001));
    assertEquals("1.7e-04", Comparison.formatP(1.653e-4));
  }
}
