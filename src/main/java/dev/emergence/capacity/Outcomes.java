package dev.emergence.capacity;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * All-or-nothing outcomes of one setting and operator: per size (ascending parameter count), how
 * many of the seeds run there learned, that is reached the target accuracy. These counts are all
 * the transition and its comparisons use.
 */
public record Outcomes(List<Size> sizes) {
  /** {@code learned} of {@code seeds} seeds reached the target at {@code params} parameters. */
  public record Size(long params, int learned, int seeds) {}

  public Outcomes {
    sizes = List.copyOf(sizes);
    for (int k = 0; k < sizes.size(); k++) {
      Size s = sizes.get(k);
      Preconditions.checkArgument(
          s.seeds() >= 1 && s.learned() >= 0 && s.learned() <= s.seeds(),
          "%s of %s seeds learned at %s parameters: expected 0 <= learned <= seeds, seeds >= 1",
          s.learned(),
          s.seeds(),
          s.params());
      Preconditions.checkArgument(
          k == 0 || sizes.get(k - 1).params() < s.params(), "sizes must ascend in parameters");
    }
  }

  /** Counts the points at or above {@code target} per size. */
  public static Outcomes of(List<Thresholds.Point> points, double target) {
    TreeMap<Long, int[]> counts = new TreeMap<>();
    for (Thresholds.Point p : points) {
      int[] c = counts.computeIfAbsent(p.params(), k -> new int[2]);
      c[0] += p.accuracy() >= target ? 1 : 0;
      c[1]++;
    }
    return of(counts);
  }

  /** From {@code params -> [learned, seeds]}, the form thresholds.json stores. */
  public static Outcomes of(Map<Long, int[]> counts) {
    List<Size> sizes = new ArrayList<>();
    new TreeMap<>(counts).forEach((params, c) -> sizes.add(new Size(params, c[0], c[1])));
    return new Outcomes(sizes);
  }

  /** {@code params -> [learned, seeds]}. */
  public TreeMap<Long, int[]> counts() {
    TreeMap<Long, int[]> out = new TreeMap<>();
    sizes.forEach(s -> out.put(s.params(), new int[] {s.learned(), s.seeds()}));
    return out;
  }

  public int learned() {
    return sizes.stream().mapToInt(Size::learned).sum();
  }

  public int seeds() {
    return sizes.stream().mapToInt(Size::seeds).sum();
  }

  /**
   * A bootstrap resample: at each size, as many seeds as were run, drawn with replacement from that
   * size's seeds.
   */
  public Outcomes resample(SplittableRandom random) {
    List<Size> out = new ArrayList<>();
    for (Size s : sizes) {
      int learned = 0;
      for (int i = 0; i < s.seeds(); i++) {
        learned += random.nextInt(s.seeds()) < s.learned() ? 1 : 0;
      }
      out.add(new Size(s.params(), learned, s.seeds()));
    }
    return new Outcomes(out);
  }

  /** The Firth fit of P(learn) against ln(params); null if it cannot be fitted (one size only). */
  public FirthLogistic fit() {
    double[] x = new double[sizes.size()];
    int[] learned = new int[sizes.size()];
    int[] seeds = new int[sizes.size()];
    for (int k = 0; k < sizes.size(); k++) {
      x[k] = Math.log((double) sizes.get(k).params());
      learned[k] = sizes.get(k).learned();
      seeds[k] = sizes.get(k).seeds();
    }
    return FirthLogistic.fit(x, learned, seeds);
  }

  /**
   * The gap in ln(params) that the data cannot see into around {@code logParams}: two neighbouring
   * sizes, no seed learned at the smaller and every seed at the larger, with {@code logParams}
   * between them; or, when every size is all-or-nothing and all failures lie below all successes,
   * that one gap wherever {@code logParams} is. Null when there is no such gap.
   */
  public double[] unanimousGap(double logParams) {
    double[] separation = null;
    for (int k = 0; k + 1 < sizes.size(); k++) {
      Size below = sizes.get(k);
      Size above = sizes.get(k + 1);
      if (below.learned() != 0 || above.learned() != above.seeds()) {
        continue;
      }
      double[] gap = {Math.log((double) below.params()), Math.log((double) above.params())};
      if (gap[0] <= logParams && logParams <= gap[1]) {
        return gap;
      }
      if (learnedBelow(k + 1) == 0 && failedFrom(k + 1) == 0) {
        separation = gap;
      }
    }
    return separation;
  }

  private int learnedBelow(int k) {
    return sizes.subList(0, k).stream().mapToInt(Size::learned).sum();
  }

  private int failedFrom(int k) {
    return sizes.subList(k, sizes.size()).stream().mapToInt(s -> s.seeds() - s.learned()).sum();
  }
}
