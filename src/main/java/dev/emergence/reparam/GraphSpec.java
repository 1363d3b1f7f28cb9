package dev.emergence.reparam;

import com.google.common.base.Preconditions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Graphs named on the command line, with their default heat boundary:
 *
 * <ul>
 *   <li>{@code grid2d:WxH} — 4-neighbour lattice, unit weights; column x = 0 at 1, x = W-1 at 0;
 *   <li>{@code grid3d:WxHxD} — 6-neighbour lattice; face x = 0 at 1, face x = W-1 at 0;
 *   <li>{@code rgg:N:R} — N points uniform in the unit square (seeded), joined when closer than R;
 *       x &lt; 0.05 at 1, x &gt; 0.95 at 0; nodes are numbered by x so the Laplacian is banded;
 *   <li>{@code file:EDGES.csv,BOUNDARY.csv} — edge list {@code i,j,w} and boundary {@code node,value}
 *       (a header line is allowed in both).
 * </ul>
 */
public final class GraphSpec {
  private GraphSpec() {}

  /** A graph and its boundary. */
  public record Loaded(String spec, Graph graph, Boundary boundary) {}

  public static Loaded load(String spec, long seed) {
    Preconditions.checkArgument(spec != null && !spec.isBlank(), "no graph given; expected e.g. grid2d:64x64");
    String[] parts = spec.split(":", 2);
    Preconditions.checkArgument(parts.length == 2, "graph '%s' has no ':'; expected grid2d:WxH, grid3d:WxHxD, rgg:N:R or file:EDGES.csv,BOUNDARY.csv", spec);
    return switch (parts[0]) {
      case "grid2d" -> {
        int[] d = dims(spec, parts[1], 2);
        Graph g = grid(d[0], d[1], 1);
        yield new Loaded(spec, g, Boundary.hotLeftColdRight(g.positions(), 0, d[0] - 1, 0));
      }
      case "grid3d" -> {
        int[] d = dims(spec, parts[1], 3);
        Graph g = grid(d[0], d[1], d[2]);
        yield new Loaded(spec, g, Boundary.hotLeftColdRight(g.positions(), 0, d[0] - 1, 0));
      }
      case "rgg" -> {
        String[] a = parts[1].split(":");
        Preconditions.checkArgument(a.length == 2, "graph '%s': expected rgg:N:R, e.g. rgg:2000:0.05", spec);
        int n = parseInt(spec, a[0]);
        double r = parseDouble(spec, a[1]);
        Preconditions.checkArgument(n >= 2, "graph '%s': rgg needs at least 2 nodes", spec);
        Preconditions.checkArgument(r > 0 && r < 1.5, "graph '%s': radius must be in (0, 1.5), got %s", spec, r);
        Graph g = randomGeometric(n, r, seed);
        yield new Loaded(spec, g, Boundary.hotLeftColdRight(g.positions(), 0, 1, 0.05));
      }
      case "file" -> {
        String[] files = parts[1].split(",");
        Preconditions.checkArgument(
            files.length == 2, "graph '%s': expected file:EDGES.csv,BOUNDARY.csv", spec);
        Graph g = readEdges(Path.of(files[0]));
        yield new Loaded(spec, g, readBoundary(Path.of(files[1]), g.nodes()));
      }
      default -> throw new IllegalArgumentException(
          "unknown graph kind '" + parts[0] + "' in '" + spec + "'; expected grid2d, grid3d, rgg or file");
    };
  }

  private static int[] dims(String spec, String text, int count) {
    String[] p = text.split("x");
    Preconditions.checkArgument(
        p.length == count, "graph '%s': expected %s sizes joined by 'x'", spec, count);
    int[] d = new int[count];
    for (int i = 0; i < count; i++) {
      d[i] = parseInt(spec, p[i]);
      Preconditions.checkArgument(d[i] >= 1, "graph '%s': sizes must be positive", spec);
    }
    Preconditions.checkArgument(d[0] >= 3, "graph '%s': the first size must be at least 3 (hot side, free nodes, cold side)", spec);
    return d;
  }

  /** A W x H x D lattice (D = 1 for 2D), node (x, y, z) numbered x + W (y + H z). */
  public static Graph grid(int w, int h, int d) {
    int n = Math.multiplyExact(Math.multiplyExact(w, h), d);
    List<int[]> edges = new ArrayList<>();
    double[][] pos = new double[n][];
    for (int z = 0; z < d; z++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int i = x + w * (y + h * z);
          pos[i] = d == 1 ? new double[] {x, y} : new double[] {x, y, z};
          if (x + 1 < w) {
            edges.add(new int[] {i, i + 1});
          }
          if (y + 1 < h) {
            edges.add(new int[] {i, i + w});
          }
          if (z + 1 < d) {
            edges.add(new int[] {i, i + w * h});
          }
        }
      }
    }
    return unitWeights(n, edges, pos);
  }

  /** N seeded uniform points in the unit square, numbered by x, joined when closer than r. */
  public static Graph randomGeometric(int n, double r, long seed) {
    Random random = new Random(seed);
    double[][] pos = new double[n][];
    for (int i = 0; i < n; i++) {
      pos[i] = new double[] {random.nextDouble(), random.nextDouble()};
    }
    java.util.Arrays.sort(pos, (a, b) -> Double.compare(a[0], b[0]));
    List<int[]> edges = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n && pos[j][0] - pos[i][0] < r; j++) {
        double dx = pos[j][0] - pos[i][0];
        double dy = pos[j][1] - pos[i][1];
        if (dx * dx + dy * dy < r * r) {
          edges.add(new int[] {i, j});
        }
      }
    }
    Preconditions.checkArgument(!edges.isEmpty(), "rgg:%s:%s has no edges; use a larger radius", (Object) n, r);
    return unitWeights(n, edges, pos);
  }

  private static Graph unitWeights(int n, List<int[]> edges, double[][] pos) {
    int[] from = new int[edges.size()];
    int[] to = new int[edges.size()];
    double[] w = new double[edges.size()];
    for (int k = 0; k < edges.size(); k++) {
      from[k] = edges.get(k)[0];
      to[k] = edges.get(k)[1];
      w[k] = 1;
    }
    return new Graph(n, from, to, w, pos);
  }

  /** Reads CSV lines {@code i,j,w} (an optional header); the node count is the largest index + 1. */
  public static Graph readEdges(Path file) {
    List<String[]> rows = readCsv(file, 3);
    Preconditions.checkArgument(!rows.isEmpty(), "edge file %s is empty: the graph has no edges", file);
    int[] from = new int[rows.size()];
    int[] to = new int[rows.size()];
    double[] w = new double[rows.size()];
    int n = 0;
    for (int k = 0; k < rows.size(); k++) {
      String where = file + " row " + (k + 1);
      from[k] = parseInt(where, rows.get(k)[0]);
      to[k] = parseInt(where, rows.get(k)[1]);
      w[k] = parseDouble(where, rows.get(k)[2]);
      Preconditions.checkArgument(from[k] >= 0 && to[k] >= 0, "%s: node indices must be >= 0", where);
      n = Math.max(n, Math.max(from[k], to[k]) + 1);
    }
    return new Graph(n, from, to, w, null);
  }

  /** Reads CSV lines {@code node,value} (an optional header) for a graph of {@code nodes} nodes. */
  public static Boundary readBoundary(Path file, int nodes) {
    boolean[] fixed = new boolean[nodes];
    double[] values = new double[nodes];
    List<String[]> rows = readCsv(file, 2);
    for (int k = 0; k < rows.size(); k++) {
      String where = file + " row " + (k + 1);
      int node = parseInt(where, rows.get(k)[0]);
      Preconditions.checkArgument(
          node >= 0 && node < nodes, "%s: node %s is not in the graph (0..%s)", where, node, nodes - 1);
      Preconditions.checkArgument(!fixed[node], "%s: node %s is fixed twice", where, node);
      fixed[node] = true;
      values[node] = parseDouble(where, rows.get(k)[1]);
    }
    return new Boundary(fixed, values);
  }

  /** Non-blank lines split on commas; a first line that does not start with a digit or sign is a header. */
  private static List<String[]> readCsv(Path file, int columns) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("file not found: " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || (i == 0 && !line.matches("^[-+0-9.].*"))) {
        continue;
      }
      String[] cells = line.split("\\s*,\\s*");
      Preconditions.checkArgument(
          cells.length == columns, "%s line %s: expected %s comma-separated values, got '%s'", file, i + 1, columns, line);
      rows.add(cells);
    }
    return rows;
  }

  private static int parseInt(String where, String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": '" + text + "' is not an integer");
    }
  }

  private static double parseDouble(String where, String text) {
    try {
      double v = Double.parseDouble(text.strip());
      Preconditions.checkArgument(Double.isFinite(v), "%s: '%s' is not a finite number", where, text);
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": '" + text + "' is not a number");
    }
  }
}
