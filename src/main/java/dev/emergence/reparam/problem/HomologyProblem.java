package dev.emergence.reparam.problem;

import com.fasterxml.jackson.annotation.JsonValue;
import com.google.common.base.Preconditions;
import dev.emergence.nn.SparseMatrix;
import dev.emergence.reparam.Flag;
import dev.emergence.reparam.Problem;
import dev.emergence.reparam.ProblemSettings;
import dev.emergence.reparam.Target;
import dev.emergence.reparam.graph.Graph;
import dev.emergence.reparam.graph.GraphSpec;
import dev.emergence.reparam.graph.PointClouds;
import dev.emergence.report.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Persistent homology of a 2-D point cloud: the N point positions are optimized against a loss on
 * the H0 persistence diagram of their Rips filtration. Every H0 bar is born at 0 and dies at the
 * length of one edge of a Euclidean minimum spanning tree (MST) of the current positions, so the
 * diagram's finite bars are the N - 1 MST edge lengths, and the loss flows through those lengths:
 *
 * <ul>
 *   <li>{@link Mode#PULL}: {@code L = sum of the bars' persistence} (the total MST length) — pulls
 *       points together; {@code keep > 0} leaves the {@code keep} longest bars out, so that K
 *       clusters tighten without merging when keep = K - 1;
 *   <li>{@link Mode#PUSH}: {@code L = - sum of the persistence + spread/2 sum_i |p_i - c|^2} with c
 *       the initial centroid — pushes points apart, the penalty holds the cloud together.
 * </ul>
 *
 * <p>Variables: x = (x_0, y_0, x_1, y_1, ...), 2N coordinates, point-major. The propagation comes
 * from the symmetric k-NN graph of the initial positions: its Laplacian L (unit weights) applied
 * per coordinate, i.e. {@link #hessian()} is the Kronecker product L (x) I_2 in the point-major
 * order, which never mixes x and y ({@link #nodeHessian()} is L alone, for a GNN with 2 outputs per
 * node).
 *
 * <p>In the graph the MST is rebuilt every step, from the current positions, by Borůvka's algorithm
 * with a fixed number of rounds (ceil(log2 N), each at least halving the number of components;
 * pointer jumping merges the components) over the dense N x N distances, with ties broken by edge
 * index so that it is a valid MST; the selection carries no gradient and the loss gathers the
 * selected edges' end points, so the gradient is that of the selected edge lengths. The cost is
 * O(N^2 log N) per step: meant for clouds of up to a few thousand points. There is no exact
 * optimum: the target is a loss value.
 */
public final class HomologyProblem implements Problem {
  /** The largest cloud the in-graph selection indexes with int32 pair ids. */
  public static final int MAX_POINTS = 46_340;

  /** Which way the loss moves the points. */
  public enum Mode {
    PULL,
    PUSH;

    /** {@code pull} or {@code push}, on the command line and in JSON. */
    @JsonValue
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Homology's options.
   *
   * @param k neighbours of the propagation graph, in 1..N-1
   * @param spreadPenalty weight of PUSH's penalty (ignored by PULL), >= 0
   * @param keep PULL leaves out this many longest bars, in 0..N-2
   * @param target the loss value a run aims at, or null (a run then aims at the direct method's
   *     best)
   */
  public record Settings(
      @Flag(
              name = "--mode",
              description =
                  "Pull (total H0 persistence) or push (its negative plus a spread penalty): "
                      + "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
          Mode mode,
      @Flag(
              name = "--k",
              description = "Neighbours of the k-NN propagation graph (default: ${DEFAULT-VALUE}).")
          int k,
      @Flag(
              name = "--spread-penalty",
              description = "Push: weight of the spread penalty (default: ${DEFAULT-VALUE}).")
          double spreadPenalty,
      @Flag(
              name = "--keep",
              description =
                  "Pull: leave this many longest bars out (K - 1 keeps K clusters apart) (default: ${DEFAULT-VALUE}).")
          int keep,
      @Flag(
              name = "--target",
              description =
                  "The loss value to reach (default: the direct method's lowest loss within its budget, plus "
                      + "1e-3 of its magnitude).")
          Double target)
      implements ProblemSettings {
    /** PULL of the total persistence, k = 8, spread penalty 1, no target. */
    public static final Settings DEFAULTS = new Settings(Mode.PULL, 8, 1.0, 0, null);

    public Settings {
      Preconditions.checkNotNull(mode, "no homology mode given");
      Preconditions.checkArgument(k >= 1, "--k must be at least 1, got %s", k);
      Preconditions.checkArgument(
          spreadPenalty >= 0 && Double.isFinite(spreadPenalty),
          "--spread-penalty must be >= 0, got %s",
          spreadPenalty);
      Preconditions.checkArgument(keep >= 0, "--keep must be >= 0, got %s", keep);
      Preconditions.checkArgument(
          target == null || Double.isFinite(target), "--target must be finite, got %s", target);
    }

    /**
     * Homology on a point cloud ({@code points:N:K}, generated with {@code seed}, or {@code
     * csv:FILE}) or on the positions of a 2-D graph (grid2d, rgg; its edges are not used).
     */
    @Override
    public HomologyProblem create(String spec, long seed) {
      return PointClouds.isCloudSpec(spec)
          ? of(PointClouds.load(spec, seed), this)
          : of(GraphSpec.load(spec, seed), this);
    }

    /**
     * A point cloud spec ({@code points:N:K} is generated, so checked whole; a CSV is read later),
     * else a graph spec.
     */
    @Override
    public void checkSpec(String spec) {
      if (!PointClouds.isCloudSpec(spec)) {
        GraphSpec.parse(spec);
      } else if (spec.startsWith("points:")) {
        PointClouds.load(spec, 0);
      }
    }
  }

  /** One finite H0 bar: born at 0, dies at {@code death}, the length of the MST edge (i, j). */
  public record Bar(int i, int j, double death) {}

  private final double[][] initial;
  private final Settings settings;
  private final Graph knn;
  private final double[] centroid;

  public HomologyProblem(double[][] points, Settings settings) {
    PointClouds.checkPoints("homology", points);
    int n = points.length;
    Preconditions.checkArgument(
        n <= MAX_POINTS, "homology supports at most %s points, got %s", MAX_POINTS, n);
    Preconditions.checkArgument(
        settings.k() < n, "k = %s must be below the number of points, %s", settings.k(), n);
    Preconditions.checkArgument(
        settings.keep() <= n - 2, "keep = %s leaves no bar of the %s", settings.keep(), n - 1);
    this.initial = new double[n][];
    for (int i = 0; i < n; i++) {
      initial[i] = points[i].clone();
    }
    this.settings = settings;
    this.knn = PointClouds.knnGraph(initial, settings.k());
    this.centroid = new double[2];
    for (double[] p : initial) {
      centroid[0] += p[0] / n;
      centroid[1] += p[1] / n;
    }
  }

  /** Homology on a loaded cloud ({@code points:N:K} or CSV). */
  public static HomologyProblem of(PointClouds.Cloud cloud, Settings settings) {
    return new HomologyProblem(cloud.points(), settings);
  }

  /**
   * Homology on the positions of a loaded 2-D graph (grid2d, rgg) with the given settings; its
   * edges are not used.
   */
  public static HomologyProblem of(GraphSpec.Loaded loaded, Settings settings) {
    double[][] positions = loaded.graph().positions();
    Preconditions.checkArgument(
        positions != null && positions[0].length == 2,
        "graph '%s' has no 2-D positions; homology needs points:N:K, csv:FILE, grid2d or rgg",
        loaded.spec());
    return new HomologyProblem(positions, settings);
  }

  @Override
  public String name() {
    return "homology";
  }

  /** The k-NN graph of the initial positions (its positions are the initial cloud). */
  @Override
  public Graph graph() {
    return knn;
  }

  public Settings settings() {
    return settings;
  }

  public int points() {
    return initial.length;
  }

  /** Two coordinates per point. */
  @Override
  public int size() {
    return 2 * initial.length;
  }

  /** The point-major vector of a cloud [N][2]. */
  public static double[] flatten(double[][] points) {
    double[] x = new double[2 * points.length];
    for (int i = 0; i < points.length; i++) {
      x[2 * i] = points[i][0];
      x[2 * i + 1] = points[i][1];
    }
    return x;
  }

  /** The cloud [N][2] of a point-major vector. */
  public static double[][] unflatten(double[] x) {
    Preconditions.checkArgument(x.length % 2 == 0, "%s coordinates are not pairs", x.length);
    double[][] points = new double[x.length / 2][];
    for (int i = 0; i < points.length; i++) {
      points[i] = new double[] {x[2 * i], x[2 * i + 1]};
    }
    return points;
  }

  /**
   * The finite H0 bars of the Rips filtration of a cloud: the edges of a Euclidean MST (Prim's
   * algorithm, O(N^2)), shortest first.
   */
  public static List<Bar> persistence(double[][] points) {
    int n = points.length;
    Preconditions.checkArgument(n >= 1, "an empty cloud has no diagram");
    boolean[] inTree = new boolean[n];
    double[] best = new double[n];
    int[] link = new int[n];
    Arrays.fill(best, Double.POSITIVE_INFINITY);
    List<Bar> bars = new ArrayList<>();
    int current = 0;
    inTree[0] = true;
    for (int added = 1; added < n; added++) {
      int next = -1;
      for (int j = 0; j < n; j++) {
        if (inTree[j]) {
          continue;
        }
        double d = PointClouds.squaredDistance(points[current], points[j]);
        if (d < best[j]) {
          best[j] = d;
          link[j] = current;
        }
        if (next < 0 || best[j] < best[next]) {
          next = j;
        }
      }
      inTree[next] = true;
      bars.add(
          new Bar(Math.min(link[next], next), Math.max(link[next], next), Math.sqrt(best[next])));
      current = next;
    }
    bars.sort(Comparator.comparingDouble(Bar::death));
    return bars;
  }

  /** The loss in plain doubles (the definition). */
  @Override
  public double energy(double[] x) {
    checkLength(x);
    double[][] p = unflatten(x);
    List<Bar> bars = persistence(p);
    double total = 0;
    int counted = settings.mode() == Mode.PULL ? bars.size() - settings.keep() : bars.size();
    for (int b = 0; b < counted; b++) {
      total += bars.get(b).death();
    }
    if (settings.mode() == Mode.PULL) {
      return total;
    }
    double penalty = 0;
    for (double[] q : p) {
      penalty +=
          (q[0] - centroid[0]) * (q[0] - centroid[0]) + (q[1] - centroid[1]) * (q[1] - centroid[1]);
    }
    return -total + 0.5 * settings.spreadPenalty() * penalty;
  }

  /**
   * The loss as float64 ops over x [2N]: MST selection in the graph (see the class comment), a
   * scalar.
   */
  @Override
  public Operand<TFloat64> energy(Ops tf, Operand<TFloat64> x) {
    int n = points();
    Operand<TFloat64> p = tf.reshape(x, tf.constant(new long[] {n, 2})); // [2N] -> [N, 2]
    // The selection reads the positions through a variable assigned just before, so that it is not
    // reachable from x in the graph: TensorFlow's gradient builder would otherwise ask every op of
    // the
    // selection (past a StopGradient too) for a gradient, and several have none.
    Variable<TFloat64> cache =
        tf.variable(tf.withInitScope().zeros(tf.constant(new long[] {n, 2}), TFloat64.class));
    Op store = tf.assign(cache, tf.stopGradient(p));
    Operand<TFloat64> current =
        tf.withControlDependencies(List.of(store)).identity(cache); // [N, 2]
    Operand<TInt64> edges = selectedEdges(tf, current); // [N - 1 - keep] flat pair ids i N + j
    Operand<TInt64> nn = tf.constant((long) n);
    Operand<TInt32> axis0 = tf.constant(0);
    Operand<TFloat64> a = tf.gather(p, tf.math.floorDiv(edges, nn), axis0); // [M, 2]
    Operand<TFloat64> b = tf.gather(p, tf.math.floorMod(edges, nn), axis0); // [M, 2]
    Operand<TFloat64> squared =
        tf.reduceSum(tf.math.square(tf.math.sub(a, b)), tf.constant(1)); // [M]
    // a zero-length edge (coincident points) contributes 0 with gradient 0, not sqrt's infinite
    // slope
    // (OnesLike has no gradient: constants shaped like the selection, which x does not reach)
    Operand<TFloat64> zeros = tf.fill(tf.shape(edges), tf.constant(0.0)); // [M]
    Operand<TFloat64> ones = tf.fill(tf.shape(edges), tf.constant(1.0)); // [M]
    Operand<TFloat64> fixedA =
        tf.gather(current, tf.math.floorDiv(edges, nn), axis0); // [M, 2], x does not reach it
    Operand<TFloat64> fixedB = tf.gather(current, tf.math.floorMod(edges, nn), axis0);
    Operand<TBool> positive =
        tf.math.greater(
            tf.reduceSum(tf.math.square(tf.math.sub(fixedA, fixedB)), tf.constant(1)), zeros);
    Operand<TFloat64> lengths =
        tf.select(positive, tf.math.sqrt(tf.select(positive, squared, ones)), zeros); // [M]
    Operand<TFloat64> total = tf.reduceSum(lengths, axis0);
    if (settings.mode() == Mode.PULL) {
      return total;
    }
    Operand<TFloat64> centred =
        tf.math.sub(p, tf.constant(new double[][] {centroid})); // [N, 2] - [1, 2]
    Operand<TFloat64> penalty =
        tf.reduceSum(tf.math.square(centred), tf.constant(new int[] {0, 1}));
    return tf.math.add(
        tf.math.neg(total), tf.math.mul(tf.constant(0.5 * settings.spreadPenalty()), penalty));
  }

  /**
   * The MST edges of the cloud p [N, 2] as flat ids {@code i N + j} (i < j), PULL's {@code keep}
   * longest left out; int64 [M]. Borůvka with ceil(log2 N) rounds; in each, every component picks
   * its lightest outgoing edge by (squared length, id), which is a total order, so the picks form a
   * forest plus one 2-cycle per tree; breaking the 2-cycles at the lower label and pointer jumping
   * ceil(log2 N) times relabels every point with its new component's root.
   */
  Operand<TInt64> selectedEdges(Ops tf, Operand<TFloat64> p) {
    int n = points();
    int rounds = Math.max(1, 32 - Integer.numberOfLeadingZeros(n - 1)); // ceil(log2 n)
    Operand<TInt32> axis0 = tf.constant(0);
    Operand<TInt32> axis1 = tf.constant(1);
    Operand<TInt32> count = tf.constant(n);
    // [N, 1, 2] - [1, N, 2] -> [N, N, 2] -> squared distances [N, N], exactly symmetric
    Operand<TFloat64> diff = tf.math.sub(tf.expandDims(p, axis1), tf.expandDims(p, axis0));
    Operand<TFloat64> squared = tf.reduceSum(tf.math.square(diff), tf.constant(2));
    Operand<TInt32> labels = tf.range(tf.constant(0), count, tf.constant(1)); // [N]
    Operand<TInt32> rowIndex = tf.expandDims(labels, axis1); // [N, 1]
    Operand<TInt32> colIndex = tf.expandDims(labels, axis0); // [1, N]
    Operand<TInt32> ids =
        tf.math.add(
            tf.math.mul(tf.math.minimum(rowIndex, colIndex), count),
            tf.math.maximum(rowIndex, colIndex)); // [N, N]
    Operand<TInt32> none =
        tf.fill(tf.constant(new int[] {n, n}), tf.constant(n * n)); // no edge: id N^2
    Operand<TFloat64> infinite =
        tf.fill(tf.constant(new int[] {n, n}), tf.constant(Double.POSITIVE_INFINITY));
    Operand<TInt32> zeroN = tf.zerosLike(labels);
    Operand<TFloat64> oneN = tf.onesLike(tf.dtypes.cast(labels, TFloat64.class));
    Operand<TInt32> flatShape = tf.constant(new int[] {n * n});
    Operand<TInt32> component = labels; // [N] the root label of each point's component
    Operand<TFloat64> mask = tf.zeros(flatShape, TFloat64.class); // [N^2] 1 on chosen pair ids
    for (int round = 0; round < rounds; round++) {
      Operand<TBool> same =
          tf.math.equal(tf.expandDims(component, axis1), tf.expandDims(component, axis0)); // [N, N]
      Operand<TFloat64> outgoing = tf.select(same, infinite, squared); // [N, N]
      Operand<TFloat64> componentMin =
          tf.math.unsortedSegmentMin(tf.min(outgoing, axis1), component, count); // [N]
      Operand<TFloat64> myMin =
          tf.expandDims(tf.gather(componentMin, component, axis0), axis1); // [N, 1]
      Operand<TBool> candidate =
          tf.math.logicalAnd(tf.math.logicalNot(same), tf.math.equal(outgoing, myMin));
      Operand<TInt32> candidateId = tf.select(candidate, ids, none); // [N, N]
      Operand<TInt32> chosen =
          tf.math.unsortedSegmentMin(tf.min(candidateId, axis1), component, count); // [N]
      Operand<TBool> valid =
          tf.math.less(chosen, tf.constant(n * n)); // labels in use with an edge out
      Operand<TInt32> safe = tf.select(valid, chosen, zeroN);
      Operand<TInt32> endA = tf.gather(component, tf.math.floorDiv(safe, count), axis0);
      Operand<TInt32> endB = tf.gather(component, tf.math.floorMod(safe, count), axis0);
      Operand<TInt32> other = tf.select(tf.math.equal(endA, labels), endB, endA);
      Operand<TInt32> parent = tf.select(valid, other, labels);
      Operand<TInt32> grand = tf.gather(parent, parent, axis0);
      // a 2-cycle (both picked the same edge): the lower label becomes the root
      parent =
          tf.select(
              tf.math.logicalAnd(tf.math.equal(grand, labels), tf.math.less(labels, parent)),
              labels,
              parent);
      for (int jump = 0; jump < rounds; jump++) {
        parent = tf.gather(parent, parent, axis0);
      }
      component = tf.gather(parent, component, axis0);
      Operand<TFloat64> picked =
          tf.scatterNd(
              tf.reshape(safe, tf.constant(new int[] {n, 1})),
              tf.select(valid, oneN, tf.zerosLike(oneN)),
              flatShape);
      mask = tf.math.minimum(tf.math.add(mask, picked), tf.onesLike(mask));
    }
    if (settings.mode() == Mode.PULL && settings.keep() > 0) {
      Operand<TFloat64> chosenLengths = tf.math.mul(mask, tf.reshape(squared, flatShape)); // [N^2]
      Operand<TInt32> longest =
          tf.nn.topK(chosenLengths, tf.constant(settings.keep()), TInt32.class).indices(); // [keep]
      Operand<TFloat64> dropped =
          tf.scatterNd(
              tf.reshape(longest, tf.constant(new int[] {settings.keep(), 1})),
              tf.fill(tf.constant(new int[] {settings.keep()}), tf.constant(1.0)),
              flatShape);
      mask = tf.math.mul(mask, tf.math.sub(tf.onesLike(dropped), dropped));
    }
    // the chosen ids, ascending: [M] int64
    return tf.reshape(
        tf.where(tf.math.greater(mask, tf.zerosLike(mask))), tf.constant(new long[] {-1}));
  }

  /** The k-NN graph Laplacian L [N, N] of the initial positions (unit weights). */
  public SparseMatrix nodeHessian() {
    return knn.laplacian(knn.weights());
  }

  /** L (x) I_2 in the point-major order: entry (2i + c, 2j + c) = L_ij for c = 0, 1. */
  @Override
  public SparseMatrix hessian() {
    SparseMatrix l = nodeHessian();
    int nnz = l.nonzeros();
    int[] rows = new int[2 * nnz];
    int[] cols = new int[2 * nnz];
    double[] values = new double[2 * nnz];
    for (int k = 0; k < nnz; k++) {
      for (int c = 0; c < 2; c++) {
        rows[2 * k + c] = 2 * l.rows()[k] + c;
        cols[2 * k + c] = 2 * l.cols()[k] + c;
        values[2 * k + c] = l.values()[k];
      }
    }
    return new SparseMatrix(size(), rows, cols, values);
  }

  /** The initial cloud, where the k-NN pattern was taken. */
  @Override
  public double[] hessianPoint() {
    return flatten(initial);
  }

  /** The loss value of the settings, if given (there is no exact optimum). */
  @Override
  public Optional<Target> target(double tolerance) {
    return Optional.ofNullable(settings.target()).map(Target.Value::new);
  }

  /** The cloud as loaded, whatever the seed: the seed of {@code points:N:K} made it. */
  @Override
  public double[] initialPoint(long seed) {
    return flatten(initial);
  }

  /** At zero every point would sit at the origin, where the diagram is empty. */
  @Override
  public Optional<double[]> gnnOrigin(long seed) {
    return Optional.of(initialPoint(seed));
  }

  /** The cloud x describes. */
  @Override
  public Optional<double[][]> points(double[] x) {
    checkLength(x);
    return Optional.of(unflatten(x));
  }

  /** CSV {@code point,x,y}, header first. */
  @Override
  public void writeSolution(double[] x, Path file) {
    checkLength(x);
    StringBuilder csv = new StringBuilder("point,x,y\n");
    for (int i = 0; i < points(); i++) {
      csv.append(i).append(',').append(x[2 * i]).append(',').append(x[2 * i + 1]).append('\n');
    }
    AtomicFiles.write(file, csv.toString().getBytes(StandardCharsets.UTF_8));
  }

  private void checkLength(double[] x) {
    Preconditions.checkArgument(
        x.length == size(), "%s coordinates for %s points", x.length, points());
  }
}
