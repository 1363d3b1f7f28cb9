package dev.emergence.reparam.graph;

import dev.emergence.reparam.problem.HeatProblem;

import com.google.common.base.Preconditions;
import dev.emergence.report.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Graphs named on the command line (only the graph: a problem such as {@link HeatProblem} adds what
 * it needs, for heat the boundary):
 *
 * <ul>
 *   <li>{@code grid2d:WxH} — 4-neighbour lattice, unit weights;
 *   <li>{@code grid3d:WxHxD} — 6-neighbour lattice;
 *   <li>{@code rgg:N:R} — N points uniform in the unit square (seeded), joined when closer than R;
 *       nodes are numbered by x so the Laplacian is banded;
 *   <li>{@code file:EDGES.csv[,NODES.csv]} — edge list {@code i,j,w} (a header line is allowed), and
 *       optionally a per-node file that the problem reads (heat: its boundary {@code node,value}).
 * </ul>
 */
public final class GraphSpec {
  private GraphSpec() {}

  /** The kinds of graph spec. */
  public enum Kind {
    GRID2D,
    GRID3D,
    RGG,
    FILE
  }

  /** A graph, the spec it came from, and the per-node file a {@code file:} spec names, if any. */
  public record Loaded(String spec, Kind kind, Graph graph, Optional<Path> nodeFile) {}

  /**
   * A graph spec checked for its syntax and numbers (and, for {@code file:}, that its files exist),
   * without building the graph: what a command checks for every graph before any work starts.
   */
  public record Parsed(String spec, Kind kind, int[] sizes, int points, double radius, Path edgeFile, Optional<Path> nodeFile) {
    /** The number of nodes, where known without reading a file (else -1). */
    public long nodes() {
      return switch (kind) {
        case GRID2D, GRID3D -> java.util.Arrays.stream(sizes).asLongStream().reduce(1, (a, b) -> a * b);
        case RGG -> points;
        case FILE -> -1;
      };
    }
  }

  /** Checks a spec without building its graph; throws IllegalArgumentException with one line. */
  public static Parsed parse(String spec) {
    Preconditions.checkArgument(spec != null && !spec.isBlank(), "no graph given; expected e.g. grid2d:64x64");
    String[] parts = spec.split(":", 2);
    Preconditions.checkArgument(parts.length == 2, "graph '%s' has no ':'; expected grid2d:WxH, grid3d:WxHxD, rgg:N:R or file:EDGES.csv[,NODES.csv]", spec);
    return switch (parts[0]) {
      case "grid2d" -> grid(spec, Kind.GRID2D, dims(spec, parts[1], 2));
      case "grid3d" -> grid(spec, Kind.GRID3D, dims(spec, parts[1], 3));
      case "rgg" -> {
        String[] a = parts[1].split(":");
        Preconditions.checkArgument(a.length == 2, "graph '%s': expected rgg:N:R, e.g. rgg:2000:0.05", spec);
        int n = Csv.parseInt(spec, a[0]);
        double r = Csv.parseDouble(spec, a[1]);
        Preconditions.checkArgument(n >= 2, "graph '%s': rgg needs at least 2 nodes", spec);
        Preconditions.checkArgument(r > 0 && r < 1.5, "graph '%s': radius must be in (0, 1.5), got %s", spec, r);
        yield new Parsed(spec, Kind.RGG, null, n, r, null, Optional.empty());
      }
      case "file" -> {
        String[] files = parts[1].split(",");
        Preconditions.checkArgument(
            files.length == 1 || files.length == 2, "graph '%s': expected file:EDGES.csv or file:EDGES.csv,NODES.csv", spec);
        Optional<Path> nodes = files.length == 2 ? Optional.of(Path.of(files[1])) : Optional.empty();
        Path edges = Path.of(files[0]);
        Preconditions.checkArgument(java.nio.file.Files.isRegularFile(edges), "file not found: %s", edges);
        nodes.ifPresent(f -> Preconditions.checkArgument(java.nio.file.Files.isRegularFile(f), "file not found: %s", f));
        yield new Parsed(spec, Kind.FILE, null, 0, 0, edges, nodes);
      }
      default -> throw new IllegalArgumentException(
          "unknown graph kind '" + parts[0] + "' in '" + spec + "'; expected grid2d, grid3d, rgg or file");
    };
  }

  private static Parsed grid(String spec, Kind kind, int[] d) {
    long n = 1;
    for (int size : d) {
      n *= size;
    }
    Preconditions.checkArgument(n <= Integer.MAX_VALUE / 4, "graph '%s' has %s nodes; at most %s are supported", spec, n, Integer.MAX_VALUE / 4);
    return new Parsed(spec, kind, d, 0, 0, null, Optional.empty());
  }

  /** Builds the graph of a spec; {@code seed} places an rgg's points. */
  public static Loaded load(String spec, long seed) {
    return load(parse(spec), seed);
  }

  public static Loaded load(Parsed p, long seed) {
    return switch (p.kind()) {
      case GRID2D -> new Loaded(p.spec(), Kind.GRID2D, grid(p.sizes()[0], p.sizes()[1], 1), Optional.empty());
      case GRID3D -> new Loaded(p.spec(), Kind.GRID3D, grid(p.sizes()[0], p.sizes()[1], p.sizes()[2]), Optional.empty());
      case RGG -> new Loaded(p.spec(), Kind.RGG, randomGeometric(p.points(), p.radius(), seed), Optional.empty());
      case FILE -> new Loaded(p.spec(), Kind.FILE, readEdges(p.edgeFile()), p.nodeFile());
    };
  }

  private static int[] dims(String spec, String text, int count) {
    String[] p = text.split("x");
    Preconditions.checkArgument(
        p.length == count, "graph '%s': expected %s sizes joined by 'x'", spec, count);
    int[] d = new int[count];
    for (int i = 0; i < count; i++) {
      d[i] = Csv.parseInt(spec, p[i]);
      Preconditions.checkArgument(d[i] >= 1, "graph '%s': sizes must be positive", spec);
    }
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
    List<String[]> rows = Csv.rows(file, 3);
    Preconditions.checkArgument(!rows.isEmpty(), "edge file %s is empty: the graph has no edges", file);
    int[] from = new int[rows.size()];
    int[] to = new int[rows.size()];
    double[] w = new double[rows.size()];
    int n = 0;
    for (int k = 0; k < rows.size(); k++) {
      String where = file + " row " + (k + 1);
      from[k] = Csv.parseInt(where, rows.get(k)[0]);
      to[k] = Csv.parseInt(where, rows.get(k)[1]);
      w[k] = Csv.parseDouble(where, rows.get(k)[2]);
      Preconditions.checkArgument(from[k] >= 0 && to[k] >= 0, "%s: node indices must be >= 0", where);
      n = Math.max(n, Math.max(from[k], to[k]) + 1);
    }
    return new Graph(n, from, to, w, null);
  }

  /** Writes CSV {@code i,j,w}, one line per undirected edge, header first: what {@code file:} reads. */
  public static void writeEdges(Graph graph, Path file) {
    StringBuilder csv = new StringBuilder("i,j,w\n");
    for (int k = 0; k < graph.edges(); k++) {
      csv.append(graph.from()[k]).append(',').append(graph.to()[k]).append(',').append(graph.weights()[k]).append('\n');
    }
    AtomicFiles.write(file, csv.toString().getBytes(StandardCharsets.UTF_8));
  }
}
