package dev.emergence.reparam.graph;

import com.google.common.base.Preconditions;
import com.google.common.base.Splitter;
import dev.emergence.reparam.problem.HeatProblem;
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
 *   <li>{@code rrg:N:D} — a random D-regular graph on N nodes (seeded; D >= 3, N D even), see
 *       {@link RandomGraphs#randomRegular};
 *   <li>{@code er:N:C} — an Erdos-Renyi graph on N nodes with mean degree C (seeded), reduced to
 *       its largest connected component ({@link RandomGraphs#erdosRenyi}); connected with high
 *       probability once C exceeds ln N (9.2 for N = 10^4, 11.5 for 10^5);
 *   <li>{@code file:EDGES.csv[,NODES.csv]} — edge list {@code i,j,w} (a header line is allowed),
 *       and optionally a per-node file that the problem reads (heat: its boundary {@code
 *       node,value}).
 * </ul>
 *
 * <p>Any spec may end in {@code @disorder=K}: every edge weight is then multiplied by a factor
 * drawn log-uniformly over 10^-K..10^K ({@link Disorder}), seeded by the same seed as the graph, so
 * that {@code grid2d:128x128@disorder=2} is one fixed weighted graph per seed. The commands' {@code
 * --disorder K} appends exactly this suffix ({@link #withDisorder}).
 */
public final class GraphSpec {
  private GraphSpec() {}

  /** What follows a spec's {@code @} to ask for disorder. */
  static final String DISORDER = "disorder=";

  /** The kinds of graph spec. */
  public enum Kind {
    GRID2D,
    GRID3D,
    RGG,
    RRG,
    ER,
    FILE
  }

  /** A graph, the spec it came from, and the per-node file a {@code file:} spec names, if any. */
  public record Loaded(String spec, Kind kind, Graph graph, Optional<Path> nodeFile) {}

  /**
   * A graph spec checked for its syntax and numbers (and, for {@code file:}, that its files exist),
   * without building the graph: what a command checks for every graph before any work starts.
   *
   * @param sizes a grid's sizes
   * @param points the node count of rgg, rrg and er
   * @param parameter rgg's radius R, rrg's degree D, er's mean degree C
   * @param disorder decades of log-uniform disorder on the weights, 0 for none
   */
  // Arrays by design: the sizes as parsed from the spec; a short int[] read by index.
  @SuppressWarnings("ArrayRecordComponent")
  public record Parsed(
      String spec,
      Kind kind,
      int[] sizes,
      int points,
      double parameter,
      Path edgeFile,
      Optional<Path> nodeFile,
      double disorder) {
    /**
     * The number of nodes, where known without reading a file (else -1; for er before it keeps its
     * largest component).
     */
    public long nodes() {
      return switch (kind) {
        case GRID2D, GRID3D ->
            java.util.Arrays.stream(sizes).asLongStream().reduce(1, (a, b) -> a * b);
        case RGG, RRG, ER -> points;
        case FILE -> -1;
      };
    }
  }

  /**
   * {@code spec} with {@code @disorder=K} appended (K = 0: unchanged); a spec that has one already
   * is refused.
   */
  public static String withDisorder(String spec, double decades) {
    Preconditions.checkArgument(decades >= 0, "--disorder must be >= 0, got %s", decades);
    if (decades == 0) {
      return spec;
    }
    Disorder.check("--disorder", decades);
    Preconditions.checkArgument(
        !spec.contains("@"),
        "graph '%s' already has a suffix; give --disorder or @disorder=K, not both",
        spec);
    return spec
        + "@"
        + DISORDER
        + (decades == Math.rint(decades)
            ? String.valueOf((long) decades)
            : String.valueOf(decades));
  }

  /**
   * The kind of a spec with its disorder, without sizes: {@code grid2d}, {@code grid2d@disorder=2}.
   */
  public static String family(String spec) {
    int colon = spec.indexOf(':');
    int at = spec.lastIndexOf('@');
    String kind = colon < 0 ? spec : spec.substring(0, colon);
    return at < 0 ? kind : kind + spec.substring(at);
  }

  /** Checks a spec without building its graph; throws IllegalArgumentException with one line. */
  public static Parsed parse(String spec) {
    Preconditions.checkArgument(
        spec != null && !spec.isBlank(), "no graph given; expected e.g. grid2d:64x64");
    int at = spec.lastIndexOf('@');
    double disorder = 0;
    String body = spec;
    if (at >= 0) {
      String suffix = spec.substring(at + 1);
      Preconditions.checkArgument(
          suffix.startsWith(DISORDER),
          "graph '%s': expected @%sK after the graph, got '@%s'",
          spec,
          DISORDER,
          suffix);
      disorder = Csv.parseDouble(spec, suffix.substring(DISORDER.length()));
      Disorder.check("graph '" + spec + "'", disorder);
      body = spec.substring(0, at);
    }
    Parsed p = parseBody(body);
    return new Parsed(
        spec, p.kind(), p.sizes(), p.points(), p.parameter(), p.edgeFile(), p.nodeFile(), disorder);
  }

  private static Parsed parseBody(String spec) {
    String[] parts = spec.split(":", 2);
    Preconditions.checkArgument(
        parts.length == 2,
        "graph '%s' has no ':'; expected grid2d:WxH, grid3d:WxHxD, rgg:N:R, rrg:N:D, er:N:C or file:EDGES.csv[,NODES.csv]",
        spec);
    return switch (parts[0]) {
      case "grid2d" -> grid(spec, Kind.GRID2D, dims(spec, parts[1], 2));
      case "grid3d" -> grid(spec, Kind.GRID3D, dims(spec, parts[1], 3));
      case "rgg" -> {
        String[] a = pair(spec, parts[1], "rgg:N:R, e.g. rgg:2000:0.05");
        int n = Csv.parseInt(spec, a[0]);
        double r = Csv.parseDouble(spec, a[1]);
        Preconditions.checkArgument(n >= 2, "graph '%s': rgg needs at least 2 nodes", spec);
        Preconditions.checkArgument(
            r > 0 && r < 1.5, "graph '%s': radius must be in (0, 1.5), got %s", spec, r);
        yield new Parsed(spec, Kind.RGG, null, n, r, null, Optional.empty(), 0);
      }
      case "rrg" -> {
        String[] a = pair(spec, parts[1], "rrg:N:D, e.g. rrg:10000:3");
        int n = Csv.parseInt(spec, a[0]);
        int d = Csv.parseInt(spec, a[1]);
        Preconditions.checkArgument(
            d >= 3 && d < n, "graph '%s': rrg needs 3 <= D < N (D >= 3 makes it connected)", spec);
        Preconditions.checkArgument((long) n * d % 2 == 0, "graph '%s': rrg needs N D even", spec);
        yield new Parsed(spec, Kind.RRG, null, n, d, null, Optional.empty(), 0);
      }
      case "er" -> {
        String[] a = pair(spec, parts[1], "er:N:C, e.g. er:10000:10");
        int n = Csv.parseInt(spec, a[0]);
        double c = Csv.parseDouble(spec, a[1]);
        Preconditions.checkArgument(n >= 3, "graph '%s': er needs at least 3 nodes", spec);
        Preconditions.checkArgument(
            c > 0 && c < n - 1,
            "graph '%s': the mean degree must be in (0, N - 1), got %s",
            spec,
            c);
        yield new Parsed(spec, Kind.ER, null, n, c, null, Optional.empty(), 0);
      }
      case "file" -> {
        List<String> files = Splitter.on(',').splitToList(parts[1]);
        Preconditions.checkArgument(
            (files.size() == 1 || files.size() == 2) && !files.contains(""),
            "graph '%s': expected file:EDGES.csv or file:EDGES.csv,NODES.csv",
            spec);
        Optional<Path> nodes =
            files.size() == 2 ? Optional.of(Path.of(files.get(1))) : Optional.empty();
        Path edges = Path.of(files.get(0));
        Preconditions.checkArgument(
            java.nio.file.Files.isRegularFile(edges), "file not found: %s", edges);
        nodes.ifPresent(
            f ->
                Preconditions.checkArgument(
                    java.nio.file.Files.isRegularFile(f), "file not found: %s", f));
        yield new Parsed(spec, Kind.FILE, null, 0, 0, edges, nodes, 0);
      }
      default ->
          throw new IllegalArgumentException(
              "unknown graph kind '"
                  + parts[0]
                  + "' in '"
                  + spec
                  + "'; expected grid2d, grid3d, rgg, rrg, er or file");
    };
  }

  private static String[] pair(String spec, String text, String expected) {
    List<String> a = Splitter.on(':').splitToList(text);
    Preconditions.checkArgument(a.size() == 2, "graph '%s': expected %s", spec, expected);
    return a.toArray(String[]::new);
  }

  private static Parsed grid(String spec, Kind kind, int[] d) {
    long n = 1;
    for (int size : d) {
      n *= size;
    }
    Preconditions.checkArgument(
        n <= Integer.MAX_VALUE / 4,
        "graph '%s' has %s nodes; at most %s are supported",
        spec,
        n,
        Integer.MAX_VALUE / 4);
    return new Parsed(spec, kind, d, 0, 0, null, Optional.empty(), 0);
  }

  /**
   * Builds the graph of a spec; {@code seed} places an rgg's points, draws an rrg's or er's edges
   * and (from another stream) the disorder of the weights.
   */
  public static Loaded load(String spec, long seed) {
    return load(parse(spec), seed);
  }

  public static Loaded load(Parsed p, long seed) {
    Graph g =
        switch (p.kind()) {
          case GRID2D -> grid(p.sizes()[0], p.sizes()[1], 1);
          case GRID3D -> grid(p.sizes()[0], p.sizes()[1], p.sizes()[2]);
          case RGG -> randomGeometric(p.points(), p.parameter(), seed);
          case RRG -> RandomGraphs.randomRegular(p.points(), (int) p.parameter(), seed);
          case ER -> RandomGraphs.erdosRenyi(p.points(), p.parameter(), seed);
          case FILE -> readEdges(p.edgeFile());
        };
    return new Loaded(
        p.spec(),
        p.kind(),
        p.disorder() > 0 ? Disorder.apply(g, p.disorder(), seed) : g,
        p.nodeFile());
  }

  private static int[] dims(String spec, String text, int count) {
    List<String> p = Splitter.on('x').splitToList(text);
    Preconditions.checkArgument(
        p.size() == count, "graph '%s': expected %s sizes joined by 'x'", spec, count);
    int[] d = new int[count];
    for (int i = 0; i < count; i++) {
      d[i] = Csv.parseInt(spec, p.get(i));
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
    Preconditions.checkArgument(
        !edges.isEmpty(), "rgg:%s:%s has no edges; use a larger radius", (Object) n, r);
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

  /**
   * Reads CSV lines {@code i,j,w} (an optional header); the node count is the largest index + 1.
   */
  public static Graph readEdges(Path file) {
    List<String[]> rows = Csv.rows(file, 3);
    Preconditions.checkArgument(
        !rows.isEmpty(), "edge file %s is empty: the graph has no edges", file);
    int[] from = new int[rows.size()];
    int[] to = new int[rows.size()];
    double[] w = new double[rows.size()];
    int n = 0;
    for (int k = 0; k < rows.size(); k++) {
      String where = file + " row " + (k + 1);
      from[k] = Csv.parseInt(where, rows.get(k)[0]);
      to[k] = Csv.parseInt(where, rows.get(k)[1]);
      w[k] = Csv.parseDouble(where, rows.get(k)[2]);
      Preconditions.checkArgument(
          from[k] >= 0 && to[k] >= 0, "%s: node indices must be >= 0", where);
      n = Math.max(n, Math.max(from[k], to[k]) + 1);
    }
    return new Graph(n, from, to, w, null);
  }

  /**
   * Writes CSV {@code i,j,w}, one line per undirected edge, header first: what {@code file:} reads.
   */
  public static void writeEdges(Graph graph, Path file) {
    StringBuilder csv = new StringBuilder("i,j,w\n");
    for (int k = 0; k < graph.edges(); k++) {
      csv.append(graph.from()[k])
          .append(',')
          .append(graph.to()[k])
          .append(',')
          .append(graph.weights()[k])
          .append('\n');
    }
    AtomicFiles.write(file, csv.toString().getBytes(StandardCharsets.UTF_8));
  }
}
