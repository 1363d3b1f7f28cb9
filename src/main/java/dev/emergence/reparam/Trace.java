package dev.emergence.reparam;

import dev.emergence.report.tensorboard.ReparamLog;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The gap after every step of a run: iteration, wall seconds since the run's start, gap, and the
 * problem's {@link Problem#watched() watched quantity} where it was measured (NaN elsewhere). Grows
 * in place.
 */
public final class Trace implements ReparamLog.Curve {
  /** How many iterations per doubling {@link #watchAt} picks (all of the first 2 x this). */
  static final int WATCH_PER_OCTAVE = 16;

  private long[] iterations = new long[1024];
  private double[] seconds = new double[1024];
  private double[] gaps = new double[1024];
  private double[] watched = new double[1024];
  private int size;

  /**
   * Whether a run measures the watched quantity at this iteration: each of the first 32 iterations,
   * then {@link #WATCH_PER_OCTAVE} per doubling of the iteration (about 4% apart): some 180 of
   * 20,000 iterations (Kuramoto's r in plain Java costs about 0.3 ms on 4,096 phases, a step's
   * worth). A function of the iteration alone, so that the GNN method's two stages follow one
   * schedule.
   */
  public static boolean watchAt(long iteration) {
    long spacing = Math.max(1, Long.highestOneBit(iteration + 1) / WATCH_PER_OCTAVE);
    return (iteration + 1) % spacing == 0;
  }

  /** A step without a watched value. */
  public void add(long iteration, double wallS, double gap) {
    add(iteration, wallS, gap, Double.NaN);
  }

  /** A step with the watched quantity's value at the same x as the gap (NaN: not measured). */
  public void add(long iteration, double wallS, double gap, double watchedValue) {
    if (size == gaps.length) {
      iterations = Arrays.copyOf(iterations, 2 * size);
      seconds = Arrays.copyOf(seconds, 2 * size);
      gaps = Arrays.copyOf(gaps, 2 * size);
      watched = Arrays.copyOf(watched, 2 * size);
    }
    iterations[size] = iteration;
    seconds[size] = wallS;
    watched[size] = watchedValue;
    gaps[size++] = gap;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public long iteration(int i) {
    return iterations[i];
  }

  @Override
  public double seconds(int i) {
    return seconds[i];
  }

  @Override
  public double gap(int i) {
    return gaps[i];
  }

  /** The watched quantity at entry i, NaN where it was not measured. */
  public double watched(int i) {
    return watched[i];
  }

  /** Whether the watched quantity was measured at entry i. */
  public boolean hasWatched(int i) {
    return !Double.isNaN(watched[i]);
  }

  /** {@link #sample}'s indices and those of every entry with a watched value, ascending. */
  public int[] sampleWithWatched(int points) {
    return IntStream.concat(
            Arrays.stream(sample(points)), IntStream.range(0, size).filter(this::hasWatched))
        .distinct()
        .sorted()
        .toArray();
  }

  /**
   * Indices of about {@code points} entries, spaced evenly in log(iteration + 1), always the last
   * one.
   */
  public int[] sample(int points) {
    if (size <= points) {
      int[] all = new int[size];
      Arrays.setAll(all, i -> i);
      return all;
    }
    int[] picked = new int[points + 1];
    int count = 0;
    int last = -1;
    double top = Math.log(size);
    for (int k = 0; k <= points; k++) {
      int i = Math.min(size - 1, (int) Math.round(Math.exp(top * k / points)) - 1);
      if (i > last) {
        picked[count++] = i;
        last = i;
      }
    }
    if (last != size - 1) {
      picked = Arrays.copyOf(picked, count + 1);
      picked[count++] = size - 1;
    }
    return Arrays.copyOf(picked, count);
  }
}
