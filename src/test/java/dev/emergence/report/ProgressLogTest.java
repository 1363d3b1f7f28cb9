package dev.emergence.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProgressLogTest {
  /** A clock the test moves by hand. */
  private static final class Clock {
    long nanos = 5_000_000_000L; // any origin: only differences count

    long now() {
      return nanos;
    }

    void advance(long seconds) {
      nanos += TimeUnit.SECONDS.toNanos(seconds);
    }
  }

  private final Clock clock = new Clock();
  private final List<String> lines = new ArrayList<>();

  private ProgressLog log(int total) {
    return ProgressLog.lines("sweep", total, "cells", clock::now, lines::add);
  }

  @Test
  void everyFinishedUnitWritesALineWithDoneElapsedAndTimeLeft() {
    ProgressLog progress = log(8);
    clock.advance(600);
    progress.finished(2, false, "stack d4");
    clock.advance(1);
    progress.finished(2, false, "stack d6");
    // 4 cells in 601 s: 150.25 s each, 4 left
    assertEquals(
        List.of(
            "sweep: 2/8 cells done, 10m00s elapsed, about 30m00s left; finished stack d4",
            "sweep: 4/8 cells done, 10m01s elapsed, about 10m01s left; finished stack d6"),
        lines);
    assertEquals(4, progress.done());
  }

  @Test
  void whileAUnitIsInHandALineComesAtMostOncePerMinute() {
    ProgressLog progress = log(8);
    clock.advance(59);
    progress.working(4, 100, 1000);
    assertEquals(List.of(), lines, "less than a minute since the start: no line");
    clock.advance(1);
    progress.working(4, 250, 1000);
    // one cell's worth of work (4 cells at a quarter) in 60 s: 7 more cells' worth, 7 minutes
    assertEquals(
        List.of(
            "sweep: 0/8 cells done, 1m00s elapsed, about 7m00s left; next 4 cells at step 250/1000"),
        lines);
    clock.advance(30);
    progress.working(4, 300, 1000);
    clock.advance(29);
    progress.working(4, 400, 1000);
    assertEquals(1, lines.size(), "a minute has not passed since the last line");
    clock.advance(1);
    progress.working(4, 500, 1000);
    assertEquals(
        "sweep: 0/8 cells done, 2m00s elapsed, about 6m00s left; next 4 cells at step 500/1000",
        lines.get(1));
  }

  @Test
  void aFinishedUnitRestartsTheMinute() {
    ProgressLog progress = log(4);
    clock.advance(50);
    progress.finished(1, false, null);
    clock.advance(50);
    progress.working(1, 10, 20);
    assertEquals(1, lines.size(), "50 s since the last line, though 100 s since the start");
    clock.advance(10);
    progress.working(1, 10, 20);
    assertEquals(2, lines.size());
  }

  @Test
  void unitsFoundDoneCountAsDoneButNotInTheRate() {
    ProgressLog progress = log(10);
    progress.finished(6, true, "saved cells");
    assertEquals(
        "sweep: 6/10 cells done (6 found done), 0s elapsed, time left unknown; found done saved cells",
        lines.get(0));
    clock.advance(120);
    progress.finished(2, false, null);
    // 2 cells of work in 120 s, 2 left: 2 minutes (not 8 cells in 120 s)
    assertEquals(
        "sweep: 8/10 cells done (6 found done), 2m00s elapsed, about 2m00s left; finished",
        lines.get(1));
  }

  @Test
  void theLastUnitLeavesNothingLeft() {
    ProgressLog progress = log(2);
    clock.advance(7200 + 5 * 60 + 9);
    progress.finished(2, false, "all");
    assertEquals("sweep: 2/2 cells done, 2h05m elapsed, about 0s left; finished all", lines.get(0));
  }

  @Test
  void moreUnitsThanTheTotalOrAStepOutsideTheRunAreRefused() {
    ProgressLog progress = log(3);
    progress.finished(2, false, null);
    assertThrows(IllegalArgumentException.class, () -> progress.finished(2, false, null));
    assertThrows(IllegalArgumentException.class, () -> progress.working(1, 11, 10));
    assertThrows(IllegalArgumentException.class, () -> progress.working(1, 0, 0));
  }

  @Test
  void durationsReadAsSecondsMinutesOrHours() {
    assertEquals("0s", ProgressLog.duration(0.4));
    assertEquals("59s", ProgressLog.duration(59.4));
    assertEquals("1m00s", ProgressLog.duration(59.6));
    assertEquals("59m59s", ProgressLog.duration(3599));
    assertEquals("1h00m", ProgressLog.duration(3600));
    assertEquals("26h03m", ProgressLog.duration(26 * 3600 + 3 * 60 + 59));
  }
}
