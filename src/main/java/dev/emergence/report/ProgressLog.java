package dev.emergence.report;

import com.google.common.base.Preconditions;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.logging.log4j.LogManager;

/**
 * Progress of a long command over units of work (a sweep's cells, a benchmark's runs). On a
 * terminal it is a progress bar; otherwise (stdout to a file, as in a Slurm or Kubernetes log,
 * where a bar is one endless line of carriage returns) it is log lines: one for every finished
 * unit, and while a unit is in hand (a stack training for an hour) one at most every {@link
 * #INTERVAL_S} seconds. Each line has done/total, the elapsed time and an estimate of the time
 * left.
 *
 * <p>Units found already done (reused by {@code --resume}) count as done but not in the rate: the
 * estimate is the elapsed time per unit of work done here, times the work left.
 */
public final class ProgressLog implements AutoCloseable {
  /** Seconds between log lines while no unit finishes. */
  public static final long INTERVAL_S = 60;

  private final String task;
  private final int total;
  private final String units;
  private final LongSupplier nanoTime;
  private final Consumer<String> sink;
  private final ProgressBar bar;
  private final long start;
  private long lastLine;
  private int worked;
  private int reused;

  private ProgressLog(
      String task,
      int total,
      String units,
      LongSupplier nanoTime,
      Consumer<String> sink,
      ProgressBar bar) {
    Preconditions.checkArgument(total >= 0, "a progress total must not be negative, got %s", total);
    this.task = task;
    this.total = total;
    this.units = units;
    this.nanoTime = nanoTime;
    this.sink = sink;
    this.bar = bar;
    this.start = nanoTime.getAsLong();
    this.lastLine = start;
  }

  /**
   * Progress of {@code task} over {@code total} {@code units} (a plural noun, e.g. "cells"): a bar
   * on stderr when this process has a terminal, log lines (Log4j, stderr) when it does not.
   */
  public static ProgressLog open(String task, int total, String units) {
    return hasTerminal()
        ? bar(task, total, units)
        : lines(
            task, total, units, System::nanoTime, LogManager.getLogger(ProgressLog.class)::info);
  }

  /**
   * Whether stdin and stdout are a terminal (Java 17's console is null when either is redirected).
   */
  // Built for Java 17, where this holds; Console.isTerminal (JDK 22) is not in release 17.
  @SuppressWarnings("SystemConsoleNull")
  public static boolean hasTerminal() {
    return System.console() != null;
  }

  /**
   * Log lines to {@code lines}, timed by {@code nanoTime} (a clock in nanoseconds, as
   * System::nanoTime).
   */
  public static ProgressLog lines(
      String task, int total, String units, LongSupplier nanoTime, Consumer<String> lines) {
    return new ProgressLog(task, total, units, nanoTime, lines, null);
  }

  /** A progress bar on stderr, drawn as the trainers draw theirs. */
  public static ProgressLog bar(String task, int total, String units) {
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setUnit(" " + units, 1)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(500)
            .continuousUpdate()
            .build();
    return new ProgressLog(task, total, units, System::nanoTime, line -> {}, bar);
  }

  /**
   * {@code count} units finished: trained here, or found done ({@code reused}). Always one line;
   * {@code what} (may be null) names them.
   */
  public void finished(int count, boolean reused, String what) {
    Preconditions.checkArgument(
        count >= 0 && done() + count <= total,
        "%s more %s would pass the total %s (done %s)",
        count,
        units,
        total,
        done());
    if (reused) {
      this.reused += count;
    } else {
      worked += count;
    }
    if (bar != null) {
      bar.stepTo(done());
      bar.setExtraMessage(what == null ? "" : what);
      return;
    }
    line((reused ? "found done" : "finished") + (what == null ? "" : " " + what), 0);
  }

  /**
   * Work on the next {@code count} units, at {@code step} of {@code steps} (a stack of {@code
   * count} models at its training step). A line only when none was written for {@link #INTERVAL_S}
   * seconds.
   */
  public void working(int count, long step, long steps) {
    Preconditions.checkArgument(
        steps >= 1 && step >= 0 && step <= steps,
        "step %s of %s is not a step of the run",
        step,
        steps);
    if (bar != null) {
      bar.setExtraMessage(String.format(Locale.ROOT, "next %d at step %d/%d", count, step, steps));
      return;
    }
    if (nanoTime.getAsLong() - lastLine >= TimeUnit.SECONDS.toNanos(INTERVAL_S)) {
      line(
          String.format(Locale.ROOT, "next %d %s at step %d/%d", count, units, step, steps),
          count * (double) step / steps);
    }
  }

  /** Units done, by work or reuse. */
  public int done() {
    return worked + reused;
  }

  /** {@code partial}: units' worth of work done on units not finished yet. */
  private void line(String event, double partial) {
    long now = nanoTime.getAsLong();
    lastLine = now;
    double elapsed = (now - start) / 1e9;
    double work = worked + partial;
    String left =
        work <= 0
            ? "time left unknown"
            : "about " + duration(elapsed / work * Math.max(0, total - reused - work)) + " left";
    sink.accept(
        String.format(
            Locale.ROOT,
            "%s: %d/%d %s done%s, %s elapsed, %s; %s",
            task,
            done(),
            total,
            units,
            reused == 0 ? "" : " (" + reused + " found done)",
            duration(elapsed),
            left,
            event));
  }

  /** {@code 45s}, {@code 12m03s}, {@code 2h05m}: seconds rounded, hours without seconds. */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
