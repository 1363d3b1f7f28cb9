package dev.emergence.reparam.problem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.nn.SparseMatrix;
import dev.emergence.reparam.Target;
import dev.emergence.reparam.graph.GraphSpec;
import dev.emergence.reparam.graph.PointClouds;
import dev.emergence.session.Feeds;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;

class HomologyProblemTest {
  @TempDir Path dir;

  private static HomologyProblem.Settings pull() {
    return HomologyProblem.Settings.DEFAULTS;
  }

  private static HomologyProblem.Settings withK(int k) {
    return new HomologyProblem.Settings(HomologyProblem.Mode.PULL, k, 1, 0, null);
  }

  /** Loss, gradient and the selected pair ids (i N + j) from TensorFlow at x. */
  private static Object[] tensorFlow(HomologyProblem p, double[] x) {
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Ops tf = s.tf();
      Placeholder<TFloat64> in = tf.placeholder(TFloat64.class);
      Operand<TFloat64> e = p.energy(tf, in);
      @SuppressWarnings("unchecked")
      Operand<TFloat64> g =
          (Operand<TFloat64>)
              s.graph().addGradients(e.asOutput(), new Output<?>[] {in.asOutput()})[0];
      Operand<TInt64> edges =
          p.selectedEdges(tf, tf.reshape(in, tf.constant(new long[] {p.points(), 2})));
      var f = s.run(Feeds.of().doubles(in, x, x.length), List.of(e, g, edges));
      long[] ids = (long[]) f.value(edges).data();
      return new Object[] {f.scalarDouble(e), f.doubles(g), ids};
    }
  }

  private static long[] primIds(double[][] points) {
    return HomologyProblem.persistence(points).stream()
        .mapToLong(b -> (long) b.i() * points.length + b.j())
        .sorted()
        .toArray();
  }

  @Test
  void persistencePairsOfHandMadeClouds() {
    // on a line at 0, 1, 3, 7: bars die at 1, 2, 4
    List<HomologyProblem.Bar> line =
        HomologyProblem.persistence(new double[][] {{0, 0}, {7, 0}, {1, 0}, {3, 0}});
    assertEquals(
        List.of(
            new HomologyProblem.Bar(0, 2, 1),
            new HomologyProblem.Bar(2, 3, 2),
            new HomologyProblem.Bar(1, 3, 4)),
        line);
    // two tight pairs 5 apart: two short bars and one long one joining the clusters at their
    // closest points
    List<HomologyProblem.Bar> pairs =
        HomologyProblem.persistence(new double[][] {{0, 0}, {0, 1}, {5, 0.2}, {5, 1.2}});
    assertEquals(3, pairs.size());
    assertEquals(1, pairs.get(0).death(), 1e-15);
    assertEquals(1, pairs.get(1).death(), 1e-15);
    assertEquals(Math.hypot(5, 0.2), pairs.get(2).death(), 1e-15);
    assertEquals(new HomologyProblem.Bar(0, 2, Math.hypot(5, 0.2)), pairs.get(2));
    // an equilateral triangle plus its centre: three spokes
    double s3 = Math.sqrt(3);
    List<HomologyProblem.Bar> star =
        HomologyProblem.persistence(
            new double[][] {{0, 0}, {1, 0}, {-0.5, s3 / 2}, {-0.5, -s3 / 2}});
    for (HomologyProblem.Bar b : star) {
      assertEquals(0, b.i());
      assertEquals(1, b.death(), 1e-15);
    }
    HomologyProblem p =
        new HomologyProblem(new double[][] {{0, 0}, {7, 0}, {1, 0}, {3, 0}}, withK(2));
    assertEquals(7, p.energy(p.initialPoint(0)), 1e-15);
    assertEquals(7, (double) tensorFlow(p, p.initialPoint(0))[0], 1e-12);
    HomologyProblem keepOne =
        new HomologyProblem(
            new double[][] {{0, 0}, {7, 0}, {1, 0}, {3, 0}},
            new HomologyProblem.Settings(HomologyProblem.Mode.PULL, 2, 1, 1, null));
    assertEquals(3, keepOne.energy(keepOne.initialPoint(0)), 1e-15);
    assertEquals(3, (double) tensorFlow(keepOne, keepOne.initialPoint(0))[0], 1e-12);
  }

  @Test
  void theInGraphSelectionIsTheMinimumSpanningTree() {
    for (int n : new int[] {3, 4, 7, 33, 120}) {
      for (long seed = 0; seed < 3; seed++) {
        double[][] points = PointClouds.clusters(n, 1 + (int) seed, seed);
        HomologyProblem p = new HomologyProblem(points, withK(2));
        Object[] tf = tensorFlow(p, p.initialPoint(0));
        assertArrayEquals(primIds(points), (long[]) tf[2], "n = " + n + ", seed " + seed);
        assertEquals(p.energy(p.initialPoint(0)), (double) tf[0], 1e-10);
      }
    }
    // a lattice is full of ties: the tree may differ from Prim's, its length may not
    double[][] lattice = GraphSpec.grid(6, 5, 1).positions();
    HomologyProblem grid = new HomologyProblem(lattice, withK(4));
    Object[] tf = tensorFlow(grid, grid.initialPoint(0));
    assertEquals(29, ((long[]) tf[2]).length);
    assertEquals(29.0, (double) tf[0], 1e-12);
    assertEquals(29.0, grid.energy(grid.initialPoint(0)), 1e-12);
  }

  @Test
  void lossesAndGradientsMatchFiniteDifferencesOfThePlainLoss() {
    double[][] points = PointClouds.clusters(24, 3, 5);
    for (HomologyProblem.Settings s :
        List.of(
            pull(),
            new HomologyProblem.Settings(HomologyProblem.Mode.PULL, 4, 1, 2, null),
            new HomologyProblem.Settings(HomologyProblem.Mode.PUSH, 4, 0.7, 0, null))) {
      HomologyProblem p = new HomologyProblem(points, s);
      double[] x = p.initialPoint(0);
      Object[] tf = tensorFlow(p, x);
      assertEquals(p.energy(x), (double) tf[0], 1e-10, s.toString());
      double[] g = (double[]) tf[1];
      for (int i = 0; i < x.length; i++) {
        double h = 1e-7;
        double[] up = x.clone();
        double[] down = x.clone();
        up[i] += h;
        down[i] -= h;
        assertEquals((p.energy(up) - p.energy(down)) / (2 * h), g[i], 1e-6, s + " dL/dx" + i);
      }
    }
  }

  @Test
  void pushPenaltyAndCoincidentPointsHaveFiniteGradients() {
    double[][] points = {{0, 0}, {0, 0}, {1, 0}, {0, 1}};
    HomologyProblem p =
        new HomologyProblem(
            points, new HomologyProblem.Settings(HomologyProblem.Mode.PUSH, 2, 2, 0, null));
    Object[] tf = tensorFlow(p, p.initialPoint(0));
    // MST: a zero edge and two unit edges; centroid (0.25, 0.25)
    double penalty = 2 * 0.125 + (0.5625 + 0.0625) * 2;
    assertEquals(-2 + penalty, p.energy(p.initialPoint(0)), 1e-15);
    assertEquals(-2 + penalty, (double) tf[0], 1e-12);
    for (double v : (double[]) tf[1]) {
      assertTrue(Double.isFinite(v));
    }
  }

  @Test
  void thePropagationIsTheKnnLaplacianPerCoordinate() {
    double[][] points = {{0, 0}, {1, 0}, {3, 0}, {7, 0}, {7, 1}};
    HomologyProblem p = new HomologyProblem(points, withK(1));
    // nearest neighbours: 0-1, 1-0, 2-1, 3-4, 4-3 -> edges {0,1}, {1,2}, {3,4}
    SparseMatrix l = p.nodeHessian();
    assertEquals(1, l.get(0, 0), 0);
    assertEquals(2, l.get(1, 1), 0);
    assertEquals(-1, l.get(1, 2), 0);
    assertEquals(0, l.get(2, 3), 0);
    SparseMatrix h = p.hessian();
    assertEquals(10, h.n());
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 5; j++) {
        assertEquals(l.get(i, j), h.get(2 * i, 2 * j), 0);
        assertEquals(l.get(i, j), h.get(2 * i + 1, 2 * j + 1), 0);
        assertEquals(0, h.get(2 * i, 2 * j + 1), 0);
      }
    }
    assertEquals(3, p.graph().edges());
    assertArrayEquals(
        p.initialPoint(3), p.gnnOrigin(3).orElseThrow(), 0, "the GNN's x starts at the cloud");
    assertTrue(p.optimum().isEmpty());
  }

  @Test
  void theTargetIsAGivenLossValue() {
    HomologyProblem none = new HomologyProblem(PointClouds.clusters(10, 2, 0), pull());
    assertTrue(none.target(1e-6).isEmpty(), "no exact optimum and no value given: a run finds one");
    HomologyProblem some =
        new HomologyProblem(
            PointClouds.clusters(10, 2, 0),
            new HomologyProblem.Settings(HomologyProblem.Mode.PULL, 8, 1, 0, 0.5));
    assertEquals(new Target.Value(0.5), some.target(1e-6).orElseThrow());
    HomologyProblem fromGraph = pull().create("rgg:50:0.3", 1);
    assertEquals(100, fromGraph.size());
    assertArrayEquals(
        HomologyProblem.flatten(GraphSpec.load("rgg:50:0.3", 1).graph().positions()),
        fromGraph.initialPoint(3),
        0);
  }

  @Test
  void pointCloudsAreSeededReadAndWritten() throws Exception {
    PointClouds.Cloud a = PointClouds.load("points:40:4", 7);
    assertEquals(40, a.size());
    assertEquals(4, a.clusters());
    assertArrayEquals(a.points()[5], PointClouds.load("points:40:4", 7).points()[5], 0);
    assertFalse(Arrays.equals(a.points()[5], PointClouds.load("points:40:4", 8).points()[5]));
    // point 5 belongs to cluster 1, centred at (0, 1)
    assertEquals(0, a.points()[5][0], 0.6);
    assertEquals(1, a.points()[5][1], 0.6);
    Path file = dir.resolve("cloud.csv");
    PointClouds.write(a.points(), file);
    PointClouds.Cloud back = PointClouds.load("csv:" + file, 0);
    assertArrayEquals(a.points()[39], back.points()[39], 0);
    assertEquals(40, PointClouds.load(file.toString(), 0).size());
    assertTrue(
        PointClouds.isCloudSpec("points:3:1")
            && PointClouds.isCloudSpec("csv:x")
            && !PointClouds.isCloudSpec("rgg:10:0.3"));
    HomologyProblem p = HomologyProblem.of(back, pull());
    Path out = dir.resolve("solution.csv");
    p.writeSolution(p.initialPoint(0), out);
    assertEquals("point,x,y", Files.readAllLines(out).get(0));
    assertEquals(41, Files.readAllLines(out).size());
  }

  @Test
  void badInputIsOneLine() throws Exception {
    assertMessage(
        "too few points (2); at least 3 are needed", () -> PointClouds.load("points:2:1", 0));
    assertMessage("clusters must be in 1..5, got 6", () -> PointClouds.load("points:5:6", 0));
    assertMessage("expected points:N:K", () -> PointClouds.load("points:5", 0));
    assertMessage("expected points:N:K", () -> PointClouds.load("points:200:4:", 0));
    assertMessage("unknown point cloud", () -> PointClouds.load("cloud:5", 0));
    assertMessage(
        "k = 5 must be below the number of points, 5",
        () -> new HomologyProblem(PointClouds.clusters(5, 1, 0), withK(5)));
    assertMessage(
        "k = 9 must be below the number of points, 9",
        () -> PointClouds.knnGraph(PointClouds.clusters(9, 1, 0), 9));
    Path nan = dir.resolve("nan.csv");
    Files.writeString(nan, "x,y\n0,0\n1,NaN\n2,2\n");
    assertMessage("row 2: 'NaN' is not a finite number", () -> PointClouds.load("csv:" + nan, 0));
    Path few = dir.resolve("few.csv");
    Files.writeString(few, "0,0\n1,1\n");
    assertMessage("too few points (2)", () -> PointClouds.load("csv:" + few, 0));
    assertMessage("file not found", () -> PointClouds.load("csv:" + dir.resolve("missing.csv"), 0));
    assertMessage("has no 2-D positions", () -> pull().create("grid3d:3x3x3", 0));
    assertMessage(
        "keep = 4 leaves no bar of the 4",
        () ->
            new HomologyProblem(
                PointClouds.clusters(5, 1, 0),
                new HomologyProblem.Settings(HomologyProblem.Mode.PULL, 2, 1, 4, null)));
  }

  private static void assertMessage(String expected, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(
        e.getMessage().contains(expected),
        "'" + e.getMessage() + "' should contain '" + expected + "'");
    assertFalse(e.getMessage().contains("\n"), "one line");
  }
}
