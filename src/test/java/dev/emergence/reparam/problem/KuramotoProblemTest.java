package dev.emergence.reparam.problem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

public class KuramotoProblemTest {
  @TempDir Path dir;

  /** A small weighted graph with a cycle and a pendant node. */
  /** Kuramoto on a graph from phases on the full circle, the Hessian at the synchronized state. */
  public static KuramotoProblem onFullCircle(Graph g) {
    return new KuramotoProblem(
        g,
        new KuramotoProblem.Settings(KuramotoProblem.HessianAt.SYNCHRONIZED, 2 * Math.PI, null),
        0);
  }

  public static Graph weighted() {
    return new Graph(
        5,
        new int[] {0, 1, 2, 0, 3},
        new int[] {1, 2, 0, 3, 4},
        new double[] {1.0, 2.0, 0.5, 1.5, 0.8},
        null);
  }

  private static final double[] THETA = {0.3, -1.2, 2.5, 0.9, -0.4};

  /** E, dE/dtheta and r from TensorFlow at theta. */
  static double[][] tensorFlow(KuramotoProblem p, double[] theta) {
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Ops tf = s.tf();
      Placeholder<TFloat64> in = tf.placeholder(TFloat64.class);
      Operand<TFloat64> e = p.energy(tf, in);
      Operand<TFloat64> r = KuramotoProblem.orderParameter(tf, in);
      @SuppressWarnings("unchecked")
      Operand<TFloat64> g =
          (Operand<TFloat64>)
              s.graph().addGradients(e.asOutput(), new Output<?>[] {in.asOutput()})[0];
      var f = s.run(Feeds.of().doubles(in, theta, theta.length), List.of(e, g, r));
      return new double[][] {{f.scalarDouble(e)}, f.doubles(g), {f.scalarDouble(r)}};
    }
  }

  @Test
  void energyMatchesTheDefinitionAndGradientsMatchFiniteDifferences() {
    KuramotoProblem p =
        new KuramotoProblem(
            weighted(),
            new KuramotoProblem.Settings(KuramotoProblem.HessianAt.SYNCHRONIZED, 2 * Math.PI, null),
            0);
    double hand =
        -(1.0 * Math.cos(0.3 + 1.2)
            + 2.0 * Math.cos(-1.2 - 2.5)
            + 0.5 * Math.cos(2.5 - 0.3)
            + 1.5 * Math.cos(0.3 - 0.9)
            + 0.8 * Math.cos(0.9 + 0.4));
    assertEquals(hand, p.energy(THETA), 1e-14);
    double[][] tf = tensorFlow(p, THETA);
    assertEquals(hand, tf[0][0], 1e-12);
    double[] analytic = p.gradient(THETA);
    for (int i = 0; i < THETA.length; i++) {
      double h = 1e-6;
      double[] up = THETA.clone();
      double[] down = THETA.clone();
      up[i] += h;
      down[i] -= h;
      double fd = (p.energy(up) - p.energy(down)) / (2 * h);
      assertEquals(fd, tf[1][i], 1e-8, "TF dE/dtheta" + i);
      assertEquals(fd, analytic[i], 1e-8, "analytic dE/dtheta" + i);
    }
  }

  @Test
  void hessianAtAPointMatchesFiniteDifferencesOfTheGradient() {
    KuramotoProblem p =
        new KuramotoProblem(
            weighted(),
            new KuramotoProblem.Settings(KuramotoProblem.HessianAt.SYNCHRONIZED, 2 * Math.PI, null),
            0);
    SparseMatrix h = p.hessianAt(THETA);
    double step = 1e-5;
    for (int j = 0; j < THETA.length; j++) {
      double[] up = THETA.clone();
      double[] down = THETA.clone();
      up[j] += step;
      down[j] -= step;
      double[] gUp = p.gradient(up);
      double[] gDown = p.gradient(down);
      for (int i = 0; i < THETA.length; i++) {
        assertEquals(
            (gUp[i] - gDown[i]) / (2 * step), h.get(i, j), 1e-8, "H[" + i + "][" + j + "]");
      }
    }
    // TensorFlow's second derivative, by differences of its gradient, agrees too
    double[] up = THETA.clone();
    double[] down = THETA.clone();
    up[2] += step;
    down[2] -= step;
    double[] gUp = tensorFlow(p, up)[1];
    double[] gDown = tensorFlow(p, down)[1];
    for (int i = 0; i < THETA.length; i++) {
      assertEquals((gUp[i] - gDown[i]) / (2 * step), h.get(i, 2), 1e-8);
    }
  }

  @Test
  void thePropagationHessianIsTheWeightedLaplacianOrTheAbsoluteCosineOne() {
    Graph g = weighted();
    KuramotoProblem sync =
        new KuramotoProblem(
            g,
            new KuramotoProblem.Settings(KuramotoProblem.HessianAt.SYNCHRONIZED, 2 * Math.PI, null),
            0);
    SparseMatrix l = sync.hessian();
    assertEquals(1.0 + 0.5 + 1.5, l.get(0, 0), 1e-15);
    assertEquals(-2.0, l.get(1, 2), 1e-15);
    assertEquals(-2.0, l.get(2, 1), 1e-15);
    assertEquals(0.0, l.get(1, 4), 0);
    KuramotoProblem initial =
        new KuramotoProblem(
            g,
            new KuramotoProblem.Settings(KuramotoProblem.HessianAt.INITIAL_ABS, 2 * Math.PI, null),
            7);
    double[] theta0 = initial.initialPoint(7);
    SparseMatrix a = initial.hessian();
    SparseMatrix exact = initial.hessianAt(theta0);
    for (int i = 0; i < 5; i++) {
      double row = 0;
      for (int j = 0; j < 5; j++) {
        if (i != j) {
          assertEquals(-Math.abs(exact.get(i, j)), a.get(i, j), 1e-15);
          row += a.get(i, j);
        }
      }
      assertEquals(-row, a.get(i, i), 1e-14, "a Laplacian: rows sum to zero");
    }
    assertEquals(
        "initial-abs",
        KuramotoProblem.HessianAt.INITIAL_ABS.toString(),
        "as documented for --hessian-at");
  }

  @Test
  void theOptimumIsSynchronyAndTheTargetIsTheRelativeGapToIt() {
    KuramotoProblem p = onFullCircle(GraphSpec.load("grid2d:4x3", 0).graph());
    Optimum o = p.optimum().orElseThrow();
    assertEquals(-17.0, o.energy(), 0, "a 4x3 grid has 17 unit edges");
    assertEquals(o.energy(), p.energy(new double[12]), 0);
    double[] shifted = new double[12];
    java.util.Arrays.fill(shifted, 1.234);
    assertEquals(o.energy(), p.energy(shifted), 1e-13, "a common phase changes nothing");
    Target t = p.target(1e-6).orElseThrow();
    assertInstanceOf(Target.Value.class, t);
    assertTrue(t.reached(t.gap(o.energy() * (1 - 0.9e-6))));
    assertFalse(t.reached(t.gap(o.energy() * (1 - 1.1e-6))));
    assertEquals(0, p.relativeGap(shifted), 1e-15);
    assertEquals(1.0, KuramotoProblem.orderParameter(shifted), 1e-15);
    assertEquals(0.0, KuramotoProblem.orderParameter(new double[] {0, Math.PI}), 1e-15);
    double[] random = p.initialPoint(3);
    for (double v : random) {
      assertTrue(v >= -Math.PI && v < Math.PI);
    }
    assertEquals(KuramotoProblem.orderParameter(random), tensorFlow(p, random)[2][0], 1e-14);
    assertArrayEquals(
        p.initialPoint(3),
        p.gnnOrigin(3).orElseThrow(),
        0,
        "the GNN's x starts at the initial phases");
    assertTrue(p.optimum().orElseThrow().x().isEmpty(), "a circle of optima: no distance to one");
  }

  @Test
  void aDisconnectedGraphIsOneLineError() throws Exception {
    Path edges = dir.resolve("two.csv");
    Files.writeString(edges, "0,1,1\n1,2,1\n3,4,1\n");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> onFullCircle(GraphSpec.load("file:" + edges, 0).graph()));
    assertEquals(
        "the graph is disconnected: 2 of 5 nodes (first: node 3) cannot reach node 0; Kuramoto needs a connected graph",
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new KuramotoProblem(
                weighted(),
                new KuramotoProblem.Settings(KuramotoProblem.HessianAt.SYNCHRONIZED, 7, null),
                0));
  }

  @Test
  void theSolutionFileWrapsPhases() throws Exception {
    KuramotoProblem p =
        new KuramotoProblem(
            weighted(),
            new KuramotoProblem.Settings(KuramotoProblem.HessianAt.SYNCHRONIZED, 2 * Math.PI, null),
            0);
    Path file = dir.resolve("phases.csv");
    p.writeSolution(new double[] {0, 7, -4, Math.PI, 1}, file);
    List<String> lines = Files.readAllLines(file);
    assertEquals("node,phase,wrapped", lines.get(0));
    assertEquals(7 - 2 * Math.PI, Double.parseDouble(lines.get(2).split(",", -1)[2]), 1e-15);
    assertEquals(-4 + 2 * Math.PI, Double.parseDouble(lines.get(3).split(",", -1)[2]), 1e-15);
    assertEquals(-Math.PI, Double.parseDouble(lines.get(4).split(",", -1)[2]), 1e-15);
  }
}
