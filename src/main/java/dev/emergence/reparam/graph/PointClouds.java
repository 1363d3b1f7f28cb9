package dev.emergence.reparam.graph;

import com.google.common.base.Preconditions;
import com.google.common.base.Splitter;
import dev.emergence.report.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * 2-D point clouds for the homology problem:
 *
 * <ul>
 *   <li>{@code points:N:K} — N points around K cluster centres on the unit circle (angles {@code 2
 *       pi c / K}; one centre at the origin for K = 1), point i in cluster {@code i mod K},
 *       Gaussian noise of standard deviation {@link #NOISE} per coordinate, seeded;
 *   <li>{@code csv:FILE} (or a path ending in {@code .csv}) — lines {@code x,y}, a header line
 *       allowed.
 * </ul>
 *
 * Bad input (fewer than {@link #MIN_POINTS} points, K outside 1..N, a non-finite coordinate, a
 * malformed line) fails with a one-line IllegalArgumentException.
 */
public final class PointClouds {
  /** The noise of a generated cloud around its centres. */
  public static final double NOISE = 0.15;

  /** The fewest points a cloud may have: with two the diagram has a single finite bar. */
  public static final int MIN_POINTS = 3;

  private PointClouds() {}

  /**
   * A loaded cloud: its spec, the points [N][2], the number of clusters it was made with (0 if
   * read).
   */
  // Arrays by design: points [N][2] as a plain matrix for the numeric code.
  @SuppressWarnings("ArrayRecordComponent")
  public record Cloud(String spec, double[][] points, int clusters) {
    public Cloud {
      checkPoints(spec, points);
    }

    public int size() {
      return points.length;
    }
  }

  /** Whether {@code spec} names a point cloud rather than a graph. */
  public static boolean isCloudSpec(String spec) {
    return spec != null
        && (spec.startsWith("points:") || spec.startsWith("csv:") || spec.endsWith(".csv"));
  }

  public static Cloud load(String spec, long seed) {
    Preconditions.checkArgument(
        spec != null && !spec.isBlank(), "no point cloud given; expected points:N:K or csv:FILE");
    if (spec.startsWith("points:")) {
      List<String> a = Splitter.on(':').splitToList(spec.substring("points:".length()));
      Preconditions.checkArgument(
          a.size() == 2, "point cloud '%s': expected points:N:K, e.g. points:200:4", spec);
      int n = Csv.parseInt(spec, a.get(0));
      int k = Csv.parseInt(spec, a.get(1));
      Preconditions.checkArgument(
          n >= MIN_POINTS,
          "point cloud '%s': too few points (%s); at least %s are needed",
          spec,
          n,
          MIN_POINTS);
      Preconditions.checkArgument(
          k >= 1 && k <= n, "point cloud '%s': clusters must be in 1..%s, got %s", spec, n, k);
      return new Cloud(spec, clusters(n, k, seed), k);
    }
    String file = spec.startsWith("csv:") ? spec.substring("csv:".length()) : spec;
    Preconditions.checkArgument(
        spec.startsWith("csv:") || spec.endsWith(".csv"),
        "unknown point cloud '%s'; expected points:N:K or csv:FILE",
        spec);
    return new Cloud(spec, read(Path.of(file)), 0);
  }

  /** N seeded points around K centres (see the class comment). */
  public static double[][] clusters(int n, int k, long seed) {
    Random random = new Random(seed);
    double[][] points = new double[n][];
    for (int i = 0; i < n; i++) {
      int c = i % k;
      double cx = k == 1 ? 0 : Math.cos(2 * Math.PI * c / k);
      double cy = k == 1 ? 0 : Math.sin(2 * Math.PI * c / k);
      points[i] =
          new double[] {cx + NOISE * random.nextGaussian(), cy + NOISE * random.nextGaussian()};
    }
    return points;
  }

  /** Reads lines {@code x,y} (an optional header). */
  public static double[][] read(Path file) {
    List<String[]> rows = Csv.rows(file, 2);
    double[][] points = new double[rows.size()][];
    for (int i = 0; i < points.length; i++) {
      String where = file + " row " + (i + 1);
      points[i] =
          new double[] {
            Csv.parseDouble(where, rows.get(i)[0]), Csv.parseDouble(where, rows.get(i)[1])
          };
    }
    return points;
  }

  /** Writes CSV {@code x,y}, header first: what {@code csv:} reads. */
  public static void write(double[][] points, Path file) {
    StringBuilder csv = new StringBuilder("x,y\n");
    for (double[] p : points) {
      csv.append(p[0]).append(',').append(p[1]).append('\n');
    }
    AtomicFiles.write(file, csv.toString().getBytes(StandardCharsets.UTF_8));
  }

  public static void checkPoints(String what, double[][] points) {
    Preconditions.checkArgument(
        points.length >= MIN_POINTS,
        "point cloud '%s': too few points (%s); at least %s are needed",
        what,
        points.length,
        MIN_POINTS);
    for (int i = 0; i < points.length; i++) {
      Preconditions.checkArgument(
          points[i].length == 2,
          "point cloud '%s': point %s has %s coordinates; expected 2",
          what,
          i,
          points[i].length);
      Preconditions.checkArgument(
          Double.isFinite(points[i][0]) && Double.isFinite(points[i][1]),
          "point cloud '%s': point %s is not finite",
          what,
          i);
    }
  }

  /**
   * The symmetric k-nearest-neighbour graph: i and j joined when either is among the other's k
   * nearest (ties by the lower index), unit weights, the points as positions.
   */
  public static Graph knnGraph(double[][] points, int k) {
    int n = points.length;
    Preconditions.checkArgument(k >= 1, "k must be at least 1, got %s", k);
    Preconditions.checkArgument(k < n, "k = %s must be below the number of points, %s", k, n);
    boolean[][] joined = new boolean[n][];
    List<int[]> edges = new ArrayList<>();
    Integer[] order = new Integer[n];
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      joined[i] = new boolean[i];
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        order[j] = j;
        d[j] = squaredDistance(points[i], points[j]);
      }
      Arrays.sort(
          order, (a, b) -> d[a] != d[b] ? Double.compare(d[a], d[b]) : Integer.compare(a, b));
      int taken = 0;
      for (int r = 0; r < n && taken < k; r++) {
        int j = order[r];
        if (j == i) {
          continue;
        }
        taken++;
        int hi = Math.max(i, j);
        int lo = Math.min(i, j);
        if (!joined[hi][lo]) {
          joined[hi][lo] = true;
          edges.add(new int[] {lo, hi});
        }
      }
    }
    int[] from = new int[edges.size()];
    int[] to = new int[edges.size()];
    double[] w = new double[edges.size()];
    for (int e = 0; e < edges.size(); e++) {
      from[e] = edges.get(e)[0];
      to[e] = edges.get(e)[1];
      w[e] = 1;
    }
    double[][] positions = new double[n][];
    for (int i = 0; i < n; i++) {
      positions[i] = points[i].clone();
    }
    return new Graph(n, from, to, w, positions);
  }

  public static double squaredDistance(double[] a, double[] b) {
    double dx = a[0] - b[0];
    double dy = a[1] - b[1];
    return dx * dx + dy * dy;
  }
}
