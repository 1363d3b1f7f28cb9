package dev.emergence.reparam.problem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.nn.SparseMatrix;
import dev.emergence.reparam.Optimum;
import dev.emergence.reparam.Target;
import dev.emergence.reparam.graph.Graph;
import dev.emergence.reparam.graph.GraphSpec;
import dev.emergence.session.Feeds;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

class HeatProblemTest {
  @TempDir Path dir;

  /**
   * A small irregular weighted problem: an rgg with random weights would do; this one is by hand.
   */
  private static HeatProblem weighted() {
    Graph g =
        new Graph(
            6,
            new int[] {0, 1, 2, 3, 1, 4, 2},
            new int[] {1, 2, 3, 5, 4, 5, 4},
            new double[] {1.0, 2.0, 0.5, 1.5, 3.0, 0.7, 1.2},
            null);
    Boundary b =
        new Boundary(
            new boolean[] {true, false, false, false, false, true},
            new double[] {2.0, 0, 0, 0, 0, -1.0});
    return new HeatProblem(g, b);
  }

  private static final double[] X = {0.3, -0.4, 1.1, 0.8};

  /** The energy and its gradient in TensorFlow, at x. */
  private static double[][] energyAndGradient(HeatProblem p, double[] x) {
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Ops tf = s.tf();
      Placeholder<TFloat64> in = tf.placeholder(TFloat64.class);
      Operand<TFloat64> e = p.energy(tf, in);
      @SuppressWarnings("unchecked")
      Operand<TFloat64> g =
          (Operand<TFloat64>)
              s.graph().addGradients(e.asOutput(), new Output<?>[] {in.asOutput()})[0];
      var f = s.run(Feeds.of().doubles(in, x, x.length), List.of(e, g));
      return new double[][] {{f.scalarDouble(e)}, f.doubles(g)};
    }
  }

  /**
   * Disordered conductances flow through every form of the energy: the weighted Laplacian's
   * quadratic form 1/2 T^T L T over all nodes, the plain-double energy, the quadratic form (H, b,
   * c) conjugate gradients use, the TensorFlow energy, and the exact solve (Cholesky and conjugate
   * gradients agree on H x = b).
   */
  @Test
  void disorderedWeightsFlowThroughTheEnergyTheHessianAndTheSolves() {
    for (String spec :
        new String[] {"grid2d:7x5@disorder=3", "rrg:60:3@disorder=2", "er:80:6@disorder=1"}) {
      HeatProblem p = HeatProblem.of(GraphSpec.load(spec, 5));
      Graph g = p.graph();
      double[] x = p.initialPoint(9);
      double[] t = p.temperatures(x);
      double[] lt = g.laplacian(g.weights()).times(t);
      double form = 0;
      for (int i = 0; i < t.length; i++) {
        form += 0.5 * t[i] * lt[i];
      }
      for (int k = 0;
          k < g.edges();
          k++) { // heat leaves out the constant edges between two fixed nodes
        boolean[] fixed = p.boundary().fixed();
        form -=
            fixed[g.from()[k]] && fixed[g.to()[k]]
                ? 0.5 * g.weights()[k] * Math.pow(t[g.from()[k]] - t[g.to()[k]], 2)
                : 0;
      }
      assertEquals(form, p.energy(x), 1e-9 * form, spec + ": 1/2 T^T L T");
      var q = p.quadratic().orElseThrow();
      double[] hx = q.hessian().times(x);
      double quadratic = q.c();
      for (int i = 0; i < x.length; i++) {
        quadratic += 0.5 * x[i] * hx[i] - q.b()[i] * x[i];
      }
      assertEquals(form, quadratic, 1e-9 * form, spec + ": 1/2 x^T H x - b^T x + c");
      assertEquals(
          form, energyAndGradient(p, x)[0][0], 1e-9 * form, spec + ": the TensorFlow energy");
      double[] exact = p.exactSolution();
      double[] residual = q.hessian().times(exact);
      var cg =
          dev.emergence.reparam.LinearSolve.conjugateGradients(q.hessian(), q.b(), 1e-12, 100_000);
      for (int i = 0; i < x.length; i++) {
        assertEquals(
            q.b()[i], residual[i], 1e-8 * (1 + Math.abs(q.b()[i])), spec + ": H x* = b at " + i);
        assertEquals(exact[i], cg.x()[i], 1e-7, spec + ": conjugate gradients agree at " + i);
      }
    }
  }

  @Test
  void energyMatchesTheDefinitionAndTheGradientMatchesFiniteDifferences() {
    HeatProblem p = weighted();
    // By hand: T = (2, .3, -.4, 1.1, .8, -1); 1/2 sum w d^2 over all 7 edges.
    double[] t = {2, .3, -.4, 1.1, .8, -1};
    int[][] e = {{0, 1}, {1, 2}, {2, 3}, {3, 5}, {1, 4}, {4, 5}, {2, 4}};
    double[] w = {1.0, 2.0, 0.5, 1.5, 3.0, 0.7, 1.2};
    double hand = 0;
    for (int k = 0; k < e.length; k++) {
      hand += 0.5 * w[k] * Math.pow(t[e[k][0]] - t[e[k][1]], 2);
    }
    double[][] eg = energyAndGradient(p, X);
    assertEquals(hand, eg[0][0], 1e-12);
    assertEquals(hand, p.energy(X), 1e-12);
    for (int i = 0; i < X.length; i++) {
      double h = 1e-6;
      double[] up = X.clone();
      double[] down = X.clone();
      up[i] += h;
      down[i] -= h;
      assertEquals((p.energy(up) - p.energy(down)) / (2 * h), eg[1][i], 1e-7, "dE/dx" + i);
    }
  }

  /**
   * The analytic Hessian against second differences of the plain-double energy (the definition, not
   * a gradient built from that Hessian): H_ij = [E(x+he_i+he_j) - E(x+he_i-he_j) - E(x-he_i+he_j) +
   * E(x-he_i-he_j)] / 4h^2, exact for a quadratic up to rounding.
   */
  @Test
  void hessianMatchesSecondDifferencesOfTheEnergy() {
    HeatProblem p = weighted();
    SparseMatrix hessian = p.hessian();
    double h = 1e-3;
    for (int i = 0; i < X.length; i++) {
      for (int j = 0; j < X.length; j++) {
        double second =
            (p.energy(shifted(X, i, h, j, h))
                    - p.energy(shifted(X, i, h, j, -h))
                    - p.energy(shifted(X, i, -h, j, h))
                    + p.energy(shifted(X, i, -h, j, -h)))
                / (4 * h * h);
        assertEquals(second, hessian.get(i, j), 1e-7, "H[" + i + "][" + j + "]");
      }
    }
    assertEquals(3.0 + 1.0 + 2.0, hessian.get(0, 0), 1e-15, "node 1: edges to 0 (fixed), 2 and 4");
  }

  private static double[] shifted(double[] x, int i, double di, int j, double dj) {
    double[] y = x.clone();
    y[i] += di;
    y[j] += dj;
    return y;
  }

  @Test
  void exactSolutionSatisfiesTheDiscreteLaplaceEquation() {
    for (HeatProblem p :
        List.of(
            weighted(),
            HeatProblem.of(GraphSpec.load("rgg:400:0.1", 3)),
            HeatProblem.of(GraphSpec.load("grid3d:5x4x3", 0)))) {
      double[] x = p.exactSolution();
      double[] t = p.temperatures(x);
      // every free node is the weighted mean of its neighbours
      double[] sum = new double[t.length];
      double[] weight = new double[t.length];
      Graph g = p.graph();
      for (int k = 0; k < g.edges(); k++) {
        sum[g.from()[k]] += g.weights()[k] * t[g.to()[k]];
        weight[g.from()[k]] += g.weights()[k];
        sum[g.to()[k]] += g.weights()[k] * t[g.from()[k]];
        weight[g.to()[k]] += g.weights()[k];
      }
      for (int node : p.freeNodes()) {
        assertEquals(sum[node] / weight[node], t[node], 1e-10, "node " + node);
      }
    }
  }

  @Test
  void exactSolutionOnAGridIsTheLinearProfile() {
    HeatProblem p = HeatProblem.of(GraphSpec.load("grid2d:9x5", 0));
    double[] t = p.temperatures(p.exactSolution());
    for (int node = 0; node < t.length; node++) {
      assertEquals(1 - (node % 9) / 8.0, t[node], 1e-12);
    }
    // E* = H / (2 (W - 1)) as in the PyTorch peer
    assertEquals(5 / 16.0, p.energy(p.exactSolution()), 1e-12);
  }

  @Test
  void theTargetIsTheRelativeGapToTheExactOptimum() {
    HeatProblem p = HeatProblem.of(GraphSpec.load("grid2d:9x5", 0));
    Optimum optimum = p.optimum().orElseThrow();
    assertSame(optimum, p.optimum().orElseThrow(), "solved once");
    assertArrayEquals(p.exactSolution(), optimum.x().orElseThrow(), 0);
    Target target = p.target(1e-6).orElseThrow();
    assertEquals(new Target.RelativeGap(optimum.energy(), 1e-6), target);
    assertEquals(0.5, target.gap(1.5 * optimum.energy()), 1e-15);
    assertTrue(target.reached(target.gap(optimum.energy() * (1 + 1e-6))) && !target.reached(2e-6));
  }

  @Test
  void equalBoundaryValuesHaveNoRelativeGap() {
    Graph g = GraphSpec.grid(3, 1, 1);
    HeatProblem p =
        new HeatProblem(g, new Boundary(new boolean[] {true, false, true}, new double[] {1, 0, 1}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.target(1e-6));
    assertEquals(true, e.getMessage().contains("relative gap is undefined"));
  }

  @Test
  void defaultBoundaryHoldsTheLowXSideHotAndTheHighXSideCold() {
    HeatProblem grid = HeatProblem.of(GraphSpec.load("grid2d:5x4", 0));
    assertEquals(8, grid.boundary().fixedCount());
    assertTrue(grid.boundary().fixed()[0] && grid.boundary().values()[0] == 1.0, "x = 0 is hot");
    assertTrue(grid.boundary().fixed()[4] && grid.boundary().values()[4] == 0.0, "x = W-1 is cold");
    assertTrue(!grid.boundary().fixed()[2], "interior is free");
    assertEquals(
        2 * 3 * 2, HeatProblem.of(GraphSpec.load("grid3d:4x3x2", 0)).boundary().fixedCount());
    HeatProblem rgg = HeatProblem.of(GraphSpec.load("rgg:300:0.12", 5));
    double[][] pos = rgg.graph().positions();
    for (int i = 0; i < pos.length; i++) {
      assertEquals(pos[i][0] <= 0.05 || pos[i][0] >= 0.95, rgg.boundary().fixed()[i], "node " + i);
    }
    assertMessage(
        "first size of at least 3", () -> HeatProblem.of(GraphSpec.load("grid2d:2x5", 0)));
  }

  @Test
  void aFileGraphReadsItsBoundaryFromTheSecondFile() throws Exception {
    Path edges = dir.resolve("edges.csv");
    GraphSpec.writeEdges(GraphSpec.grid(4, 3, 1), edges);
    Path boundary = dir.resolve("boundary.csv");
    Files.writeString(boundary, "node,value\n0,1\n4,1\n8,1\n3,0\n7,0\n11,0\n");
    HeatProblem grid = HeatProblem.of(GraphSpec.load("grid2d:4x3", 0));
    HeatProblem read = HeatProblem.of(GraphSpec.load("file:" + edges + "," + boundary, 0));
    assertArrayEquals(grid.boundary().fixed(), read.boundary().fixed());
    assertArrayEquals(grid.boundary().values(), read.boundary().values(), 0);
    assertMessage(
        "names no boundary file", () -> HeatProblem.of(GraphSpec.load("file:" + edges, 0)));
    Files.writeString(boundary, "0,1\n0,0\n");
    assertMessage(
        "node 0 is fixed twice",
        () -> HeatProblem.of(GraphSpec.load("file:" + edges + "," + boundary, 0)));
  }

  @Test
  void freeNodesThatCannotReachAFixedNodeAreRejected() throws Exception {
    Path edges = dir.resolve("two-parts.csv");
    Files.writeString(edges, "0,1,1\n1,2,1\n3,4,1\n");
    Path boundary = dir.resolve("boundary.csv");
    Files.writeString(boundary, "0,1\n2,0\n");
    GraphSpec.Loaded loaded = GraphSpec.load("file:" + edges + "," + boundary, 0);
    assertMessage(
        "2 free nodes (first: node 3) cannot reach a fixed node", () -> HeatProblem.of(loaded));
  }

  private static void assertMessage(String expected, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(
        e.getMessage().contains(expected),
        "'" + e.getMessage() + "' should contain '" + expected + "'");
    assertTrue(!e.getMessage().contains("\n"), "one line");
  }
}
