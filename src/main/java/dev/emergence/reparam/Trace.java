package dev.emergence.reparam;

import java.util.Arrays;

/** The gap after every step of a run: iteration, wall seconds since the run's start, gap. Grows in place. */
public final class Trace {
  private long[] iterations = new long[1024];
  private double[] seconds = new double[1024];
  private double[] gaps = new double[1024];
  private int size;

  public void add(long iteration, double wallS, double gap) {
    if (size == gaps.length) {
      iterations = Arrays.copyOf(iterations, 2 * size);
      seconds = Arrays.copyOf(seconds, 2 * size);
      gaps = Arrays.copyOf(gaps, 2 * size);
    }
    iterations[size] = iteration;
    seconds[size] = wallS;
    gaps[size++] = gap;
  }

  public int size() {
    return size;
  }

  public long iteration(int i) {
    return iterations[i];
  }

  public double seconds(int i) {
    return seconds[i];
  }

  public double gap(int i) {
    return gaps[i];
  }

  /** Indices of about {@code points} entries, spaced evenly in log(iteration + 1), always the last one. */
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
