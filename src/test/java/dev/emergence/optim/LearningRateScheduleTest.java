package dev.emergence.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
  @Test
  void warmupThenCosineToTheFinalFraction() {
    LearningRateSchedule s = LearningRateSchedule.warmupCosine(1.0, 10, 110, 0.1);
    assertEquals(0.1 * (0.1 + 0.9 * 0.5 * (1 + Math.cos(0))), s.at(0), 1e-12);
    assertEquals(0.5 * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 4 / 110))), s.at(4), 1e-12);
    assertEquals(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.5)), s.at(55), 1e-12);
    assertEquals(0.1, s.at(110), 1e-12);
    assertEquals(0.1, s.at(500), 1e-12, "held at the final value after the end");
  }

  @Test
  void badSettingsAreRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> LearningRateSchedule.warmupCosine(0, 1, 10, 0.1));
    assertThrows(
        IllegalArgumentException.class, () -> LearningRateSchedule.warmupCosine(1, 1, 10, 1.5));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(-1));
  }
}
