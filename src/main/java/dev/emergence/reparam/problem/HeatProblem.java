package dev.emergence.reparam.problem;

import com.google.common.base.Preconditions;
import com.google.common.base.Supplier;
import com.google.common.base.Suppliers;
import dev.emergence.nn.SparseMatrix;
import dev.emergence.reparam.LinearSolve;
import dev.emergence.reparam.Optimum;
import dev.emergence.reparam.Problem;
import dev.emergence.reparam.ProblemSettings;
import dev.emergence.reparam.Target;
import dev.emergence.reparam.graph.Graph;
import dev.emergence.reparam.graph.GraphSpec;
import dev.emergence.report.AtomicFiles;
import dev.emergence.session.GraphSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/**
 * Heat diffusion with Dirichlet boundary: minimize {@code E(T) = 1/2 sum over edges w_ij (T_i -
 * T_j)^2} over the free nodes' temperatures, the fixed nodes held at their boundary values. The
 * variables x are the free nodes' temperatures, numbered in node order. Edges between two fixed
 * nodes are constant and left out. The exact optimum is a sparse linear solve ({@link
 * LinearSolve#exact}), done once on first use.
 *
 * <p>Default boundary ({@link #of}): on a grid the x = 0 column/face held at 1 and the x = W-1 one
 * at 0; on an {@code rgg} x &lt; 0.05 at 1 and x &gt; 0.95 at 0; on an {@code rrg} or {@code er}
 * graph (no geometry; its node numbers are random) the first 5% of the nodes at 1 and the last 5%
 * at 0; a {@code file:EDGES.csv,BOUNDARY.csv} graph reads its boundary {@code node,value} from the
 * second file. Edge weights are conductances: with {@code @disorder=K} they span 10^-K..10^K.
 */
public final class HeatProblem implements Problem {
  /** Heat has no options of its own: the graph (and a file graph's boundary) is all it reads. */
  public record Settings() implements ProblemSettings {
    public static final Settings DEFAULTS = new Settings();

    @Override
    public HeatProblem create(String spec, long seed) {
      return of(GraphSpec.load(spec, seed));
    }
  }

  private final Graph graph;
  private final Boundary boundary;
  private final int[] freeNodes;
  private final int[] freeIndex;
  private final int[] edgeFrom;
  private final int[] edgeTo;
  private final double[] edgeWeight;
  private final Supplier<Optimum> optimum = Suppliers.memoize(this::solve);
  private final Supplier<SparseMatrix> hessian = Suppliers.memoize(this::buildHessian);
  private final Supplier<double[]> rightHandSide = Suppliers.memoize(this::buildRightHandSide);
  private final Supplier<Double> constant = Suppliers.memoize(() -> energy(new double[size()]));

  /** The Hessian's graph constants per graph, so that the GNN's two stages share one copy. */
  private final java.util.Map<Object, SparseMatrix.InGraph<TFloat64>> inGraph =
      new java.util.WeakHashMap<>();

  public HeatProblem(Graph graph, Boundary boundary) {
    Preconditions.checkArgument(
        boundary.fixed().length == graph.nodes(),
        "the boundary covers %s nodes but the graph has %s",
        boundary.fixed().length,
        graph.nodes());
    this.graph = graph;
    this.boundary = boundary;
    int fixedCount = boundary.fixedCount();
    Preconditions.checkArgument(
        fixedCount > 0, "no node is fixed: heat diffusion needs boundary nodes");
    Preconditions.checkArgument(
        fixedCount < graph.nodes(), "every node is fixed: nothing to optimize");
    freeNodes = new int[graph.nodes() - fixedCount];
    freeIndex = new int[graph.nodes()];
    Arrays.fill(freeIndex, -1);
    for (int i = 0, f = 0; i < graph.nodes(); i++) {
      if (!boundary.fixed()[i]) {
        freeIndex[i] = f;
        freeNodes[f++] = i;
      }
    }
    checkEveryFreeNodeReachesAFixedOne();
    int kept = 0;
    for (int k = 0; k < graph.edges(); k++) {
      kept += isFixed(graph.from()[k]) && isFixed(graph.to()[k]) ? 0 : 1;
    }
    edgeFrom = new int[kept];
    edgeTo = new int[kept];
    edgeWeight = new double[kept];
    for (int k = 0, e = 0; k < graph.edges(); k++) {
      if (!(isFixed(graph.from()[k]) && isFixed(graph.to()[k]))) {
        edgeFrom[e] = graph.from()[k];
        edgeTo[e] = graph.to()[k];
        edgeWeight[e++] = graph.weights()[k];
      }
    }
  }

  /** Heat on a loaded graph with its default boundary (see the class comment). */
  public static HeatProblem of(GraphSpec.Loaded loaded) {
    return new HeatProblem(loaded.graph(), defaultBoundary(loaded));
  }

  static Boundary defaultBoundary(GraphSpec.Loaded loaded) {
    Graph g = loaded.graph();
    return switch (loaded.kind()) {
      case GRID2D, GRID3D -> {
        double last = Arrays.stream(g.positions()).mapToDouble(p -> p[0]).max().orElseThrow();
        Preconditions.checkArgument(
            last >= 2,
            "graph '%s': heat needs a first size of at least 3 (hot side, free nodes, cold side)",
            loaded.spec());
        yield Boundary.hotLeftColdRight(g.positions(), 0, last, 0);
      }
      case RGG -> Boundary.hotLeftColdRight(g.positions(), 0, 1, 0.05);
      case RRG, ER -> Boundary.firstAndLast(g.nodes(), 0.05);
      case FILE ->
          Boundary.read(
              loaded
                  .nodeFile()
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "graph '"
                                  + loaded.spec()
                                  + "' names no boundary file; heat expects file:EDGES.csv,BOUNDARY.csv")),
              g.nodes());
    };
  }

  @Override
  public String name() {
    return "heat";
  }

  @Override
  public Graph graph() {
    return graph;
  }

  public Boundary boundary() {
    return boundary;
  }

  /** Number of free nodes: the length of x. */
  @Override
  public int size() {
    return freeNodes.length;
  }

  public int[] freeNodes() {
    return freeNodes.clone();
  }

  private boolean isFixed(int node) {
    return boundary.fixed()[node];
  }

  private void checkEveryFreeNodeReachesAFixedOne() {
    int[] fixed =
        java.util.stream.IntStream.range(0, graph.nodes()).filter(this::isFixed).toArray();
    int[] unreached = graph.unreachable(fixed);
    Preconditions.checkArgument(
        unreached.length == 0,
        "%s free nodes (first: node %s) cannot reach a fixed node; their temperature is undetermined",
        unreached.length,
        unreached.length == 0 ? -1 : unreached[0]);
  }

  /** The full temperature vector: boundary values, with x at the free nodes. */
  public double[] temperatures(double[] x) {
    Preconditions.checkArgument(
        x.length == size(), "x has %s values for %s free nodes", x.length, size());
    double[] t = boundary.values().clone();
    for (int f = 0; f < freeNodes.length; f++) {
      t[freeNodes[f]] = x[f];
    }
    return t;
  }

  /** E(x) in plain doubles. */
  @Override
  public double energy(double[] x) {
    double[] t = temperatures(x);
    double sum = 0;
    for (int e = 0; e < edgeFrom.length; e++) {
      double d = t[edgeFrom[e]] - t[edgeTo[e]];
      sum += edgeWeight[e] * d * d;
    }
    return 0.5 * sum;
  }

  /**
   * E(x) as float64 graph ops over a float64 vector x of the free nodes, in the equivalent
   * quadratic form {@code 1/2 x^T H x - b^T x + c} (one sparse product; measured 25-30% faster per
   * step than gathering both ends of every edge). The constant c makes it equal to the edge sum.
   */
  @Override
  public Operand<TFloat64> energy(Ops tf, Operand<TFloat64> x) {
    SparseMatrix.InGraph<TFloat64> h = hessian().inGraph(tf, TFloat64.class);
    Operand<TInt32> axis = tf.constant(0);
    Operand<TFloat64> column = tf.reshape(x, tf.constant(new long[] {-1, 1})); // [n] -> [n, 1]
    Operand<TFloat64> hx =
        tf.reshape(h.matMul(column), tf.constant(new long[] {-1})); // [n, 1] -> [n]
    Operand<TFloat64> half = tf.math.mul(tf.constant(0.5), hx);
    Operand<TFloat64> linear = tf.math.sub(half, tf.constant(rightHandSide())); // 1/2 H x - b: [n]
    // sum over [n] -> a scalar, plus c = E(0)
    return tf.math.add(
        tf.reduceSum(tf.math.mul(linear, x), axis), tf.constant(energy(new double[size()])));
  }

  /**
   * E and dE/dx from one sparse product: g = H x - b and E = 1/2 x^T (g - b) + c (equal to the edge
   * sum), so no gradient is built through the product.
   */
  @Override
  public EnergyAndGradient energyAndGradient(GraphSession session, Operand<TFloat64> x) {
    Ops tf = session.tf();
    SparseMatrix.InGraph<TFloat64> h;
    synchronized (inGraph) {
      h = inGraph.computeIfAbsent(session.graph(), g -> hessian().inGraph(tf, TFloat64.class));
    }
    Operand<TFloat64> column = tf.reshape(x, tf.constant(new long[] {-1, 1})); // [n] -> [n, 1]
    Operand<TFloat64> hx =
        tf.reshape(h.matMul(column), tf.constant(new long[] {-1})); // [n, 1] -> [n]
    Operand<TFloat64> b = tf.constant(rightHandSide.get());
    Operand<TFloat64> g = tf.math.sub(hx, b); // [n]
    Operand<TFloat64> half =
        tf.math.mul(
            tf.constant(0.5), tf.reduceSum(tf.math.mul(tf.math.sub(g, b), x), tf.constant(0)));
    return new EnergyAndGradient(tf.math.add(half, tf.constant(constant())), g);
  }

  /** E = 1/2 x^T H x - b^T x + c. */
  @Override
  public Optional<Quadratic> quadratic() {
    return Optional.of(new Quadratic(hessian(), rightHandSide(), constant()));
  }

  /** c = E(0): the energy of the edges from free nodes at 0 to the boundary. */
  private double constant() {
    return constant.get();
  }

  /**
   * The Hessian of E in x: the graph Laplacian restricted to the free nodes (analytic, sparse;
   * built once).
   */
  @Override
  public SparseMatrix hessian() {
    return hessian.get();
  }

  private SparseMatrix buildHessian() {
    int nf = size();
    double[] diagonal = new double[nf];
    int offDiagonal = 0;
    for (int e = 0; e < edgeFrom.length; e++) {
      int a = freeIndex[edgeFrom[e]];
      int b = freeIndex[edgeTo[e]];
      if (a >= 0) {
        diagonal[a] += edgeWeight[e];
      }
      if (b >= 0) {
        diagonal[b] += edgeWeight[e];
      }
      offDiagonal += a >= 0 && b >= 0 ? 2 : 0;
    }
    int[] rows = new int[nf + offDiagonal];
    int[] cols = new int[nf + offDiagonal];
    double[] values = new double[nf + offDiagonal];
    int k = 0;
    for (int f = 0; f < nf; f++) {
      rows[k] = f;
      cols[k] = f;
      values[k++] = diagonal[f];
    }
    for (int e = 0; e < edgeFrom.length; e++) {
      int a = freeIndex[edgeFrom[e]];
      int b = freeIndex[edgeTo[e]];
      if (a >= 0 && b >= 0) {
        rows[k] = a;
        cols[k] = b;
        values[k++] = -edgeWeight[e];
        rows[k] = b;
        cols[k] = a;
        values[k++] = -edgeWeight[e];
      }
    }
    return new SparseMatrix(nf, rows, cols, values);
  }

  /**
   * The right-hand side b of the optimality condition H x = b: heat flowing in from fixed
   * neighbours.
   */
  public double[] rightHandSide() {
    return rightHandSide.get().clone();
  }

  private double[] buildRightHandSide() {
    double[] b = new double[size()];
    for (int e = 0; e < edgeFrom.length; e++) {
      int a = freeIndex[edgeFrom[e]];
      int c = freeIndex[edgeTo[e]];
      if (a >= 0 && c < 0) {
        b[a] += edgeWeight[e] * boundary.values()[edgeTo[e]];
      } else if (a < 0 && c >= 0) {
        b[c] += edgeWeight[e] * boundary.values()[edgeFrom[e]];
      }
    }
    return b;
  }

  /**
   * The exact optimum x* = H^-1 b by {@link LinearSolve#exact}: EJML's sparse Cholesky for a small
   * envelope, else preconditioned conjugate gradients to a 1e-12 relative residual.
   */
  public double[] exactSolution() {
    return LinearSolve.exact(hessian(), rightHandSide());
  }

  /** x* and E*, solved on the first call and kept. */
  @Override
  public Optional<Optimum> optimum() {
    return Optional.of(optimum.get());
  }

  private Optimum solve() {
    double[] x = exactSolution();
    return new Optimum(energy(x), Optional.of(x));
  }

  /** The relative gap to E*; all-equal boundary values make E* = 0, so there is no relative gap. */
  @Override
  public Optional<Target> target(double tolerance) {
    double low = Double.POSITIVE_INFINITY;
    double high = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < graph.nodes(); i++) {
      if (boundary.fixed()[i]) {
        low = Math.min(low, boundary.values()[i]);
        high = Math.max(high, boundary.values()[i]);
      }
    }
    Preconditions.checkArgument(
        high > low,
        "every boundary value is %s: the exact energy is 0 and the relative gap is undefined",
        low);
    return Problem.super.target(tolerance);
  }

  /** Seeded uniform [0, 1) temperatures, as the PyTorch peer's random init. */
  @Override
  public double[] initialPoint(long seed) {
    Random random = new Random(seed);
    double[] x = new double[size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextDouble();
    }
    return x;
  }

  /** CSV {@code node,value,fixed} over every node, boundary included, header first. */
  @Override
  public void writeSolution(double[] x, Path file) {
    double[] t = temperatures(x);
    StringBuilder csv = new StringBuilder("node,value,fixed\n");
    for (int i = 0; i < t.length; i++) {
      csv.append(i)
          .append(',')
          .append(t[i])
          .append(',')
          .append(boundary.fixed()[i] ? 1 : 0)
          .append('\n');
    }
    AtomicFiles.write(file, csv.toString().getBytes(StandardCharsets.UTF_8));
  }
}
