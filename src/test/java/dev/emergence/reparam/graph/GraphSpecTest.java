package dev.emergence.reparam.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphSpecTest {
  @TempDir Path dir;

  @Test
  void grid2dHasFourNeighbourEdges() {
    GraphSpec.Loaded g = GraphSpec.load("grid2d:5x4", 0);
    assertEquals(GraphSpec.Kind.GRID2D, g.kind());
    assertEquals(20, g.graph().nodes());
    assertEquals(4 * 4 + 5 * 3, g.graph().edges());
  }

  @Test
  void grid3dHasSixNeighbourEdges() {
    GraphSpec.Loaded g = GraphSpec.load("grid3d:4x3x2", 0);
    assertEquals(24, g.graph().nodes());
    assertEquals(3 * 3 * 2 + 4 * 2 * 2 + 4 * 3 * 1, g.graph().edges());
  }

  @Test
  void randomGeometricGraphIsSeededAndJoinsOnlyCloseNodes() {
    Graph a = GraphSpec.load("rgg:300:0.12", 5).graph();
    Graph b = GraphSpec.load("rgg:300:0.12", 5).graph();
    assertArrayEquals(a.from(), b.from());
    assertArrayEquals(a.to(), b.to());
    for (int k = 0; k < a.edges(); k++) {
      double[] p = a.positions()[a.from()[k]];
      double[] q = a.positions()[a.to()[k]];
      assertTrue(Math.hypot(p[0] - q[0], p[1] - q[1]) < 0.12);
    }
  }

  @Test
  void filesRoundTripThroughTheDumpFormat() throws Exception {
    GraphSpec.Loaded grid = GraphSpec.load("grid2d:4x3", 0);
    Path edges = dir.resolve("edges.csv");
    GraphSpec.writeEdges(grid.graph(), edges);
    GraphSpec.Loaded read = GraphSpec.load("file:" + edges, 0);
    assertEquals(GraphSpec.Kind.FILE, read.kind());
    assertTrue(read.nodeFile().isEmpty());
    assertArrayEquals(grid.graph().from(), read.graph().from());
    assertArrayEquals(grid.graph().to(), read.graph().to());
    assertArrayEquals(grid.graph().weights(), read.graph().weights(), 0);
    Path nodes = Files.writeString(dir.resolve("nodes.csv"), "0,1\n");
    assertEquals(nodes, GraphSpec.load("file:" + edges + "," + nodes, 0).nodeFile().orElseThrow());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GraphSpec.parse("file:" + edges + ",missing.csv"));
    assertEquals(
        "file not found: missing.csv", e.getMessage(), "both files are checked before any work");
  }

  @Test
  void badSpecsAndFilesFailWithOneClearLine() throws Exception {
    assertMessage("unknown graph kind", "torus:4x4");
    assertMessage("expected 2 sizes", "grid2d:4");
    assertMessage("not an integer", "grid2d:4xq");
    assertMessage("has no ':'", "grid2d");
    assertMessage("expected 2 sizes", "grid2d:4x4x");
    assertMessage("expected rrg:N:D", "rrg:100:3:");
    assertMessage("expected file:EDGES.csv", "file:" + dir.resolve("a.csv") + ",");
    assertMessage(
        "file not found", "file:" + dir.resolve("missing.csv") + "," + dir.resolve("b.csv"));
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "i,j,w\n0,1,1\n1,2\n");
    assertMessage("expected 3 comma-separated values", "file:" + bad + "," + bad);
    Path negative = dir.resolve("negative.csv");
    Files.writeString(negative, "0,1,-2\n");
    Path b = dir.resolve("b.csv");
    Files.writeString(b, "0,1\n");
    assertMessage("weights must be positive", "file:" + negative + "," + b);
    Path empty = dir.resolve("empty.csv");
    Files.writeString(empty, "i,j,w\n");
    assertMessage("no edges", "file:" + empty + "," + b);
  }

  @Test
  void disorderIsSeededLogUniformAndInRange() {
    Graph plain = GraphSpec.load("grid2d:30x30", 3).graph();
    Graph a = GraphSpec.load("grid2d:30x30@disorder=2", 3).graph();
    Graph b = GraphSpec.load("grid2d:30x30@disorder=2", 3).graph();
    Graph other = GraphSpec.load("grid2d:30x30@disorder=2", 4).graph();
    assertArrayEquals(a.weights(), b.weights(), 0, "the same spec and seed give the same weights");
    assertTrue(
        !java.util.Arrays.equals(a.weights(), other.weights()), "another seed, other weights");
    assertArrayEquals(plain.from(), a.from(), "disorder changes weights only");
    assertArrayEquals(plain.to(), a.to());
    int[] perDecade = new int[4];
    for (double w : a.weights()) {
      double log = Math.log10(w);
      assertTrue(log >= -2 && log < 2, "weight " + w + " outside 10^-2..10^2");
      perDecade[(int) Math.floor(log + 2)]++;
    }
    for (int count : perDecade) { // log-uniform: about a quarter of 1,740 edges per decade
      assertTrue(
          Math.abs(count - a.edges() / 4.0) < 0.2 * a.edges() / 4.0,
          java.util.Arrays.toString(perDecade));
    }
  }

  @Test
  void disorderedWeightsRoundTripThroughTheDump() throws Exception {
    Graph rgg = GraphSpec.load("rgg:500:0.1@disorder=3", 7).graph();
    Path edges = dir.resolve("weighted.csv");
    GraphSpec.writeEdges(rgg, edges);
    Graph read = GraphSpec.load("file:" + edges, 0).graph();
    assertArrayEquals(rgg.weights(), read.weights(), 0, "the dump writes every weight exactly");
    assertArrayEquals(rgg.from(), read.from());
  }

  @Test
  void theDisorderOptionAppendsTheSuffix() {
    assertEquals("grid2d:8x8@disorder=2", GraphSpec.withDisorder("grid2d:8x8", 2));
    assertEquals("grid2d:8x8@disorder=0.5", GraphSpec.withDisorder("grid2d:8x8", 0.5));
    assertEquals("grid2d:8x8", GraphSpec.withDisorder("grid2d:8x8", 0));
    assertEquals("grid2d@disorder=2", GraphSpec.family("grid2d:8x8@disorder=2"));
    assertEquals("rrg", GraphSpec.family("rrg:100:3"));
    assertThrows(
        IllegalArgumentException.class, () -> GraphSpec.withDisorder("grid2d:8x8@disorder=1", 2));
    assertMessage("disorder must be in (0, 8.0]", "grid2d:8x8@disorder=0");
    assertMessage("expected @disorder=K", "grid2d:8x8@noise=1");
  }

  @Test
  void randomRegularGraphsHaveExactlyTheirDegreeAndNoRepeatedEdges() {
    for (int d : new int[] {3, 4, 7}) {
      Graph g = GraphSpec.load("rrg:1000:" + d, 11).graph();
      assertEquals(1000, g.nodes(), "connected: nothing dropped");
      int[] degree = new int[g.nodes()];
      java.util.Set<Long> seen = new java.util.HashSet<>();
      for (int k = 0; k < g.edges(); k++) {
        degree[g.from()[k]]++;
        degree[g.to()[k]]++;
        assertTrue(g.from()[k] < g.to()[k], "each edge once, lower node first");
        assertTrue(seen.add(((long) g.from()[k] << 32) | g.to()[k]), "no edge twice");
      }
      for (int i = 0; i < g.nodes(); i++) {
        assertEquals(d, degree[i], "node " + i);
      }
      assertEquals(0, g.unreachable(new int[] {0}).length);
    }
    assertArrayEquals(
        GraphSpec.load("rrg:200:3", 1).graph().to(),
        GraphSpec.load("rrg:200:3", 1).graph().to(),
        "seeded");
    assertMessage("3 <= D < N", "rrg:100:2");
    assertMessage("N D even", "rrg:101:3");
  }

  @Test
  void erdosRenyiGraphsKeepTheirLargestComponentAndHaveTheirMeanDegree() {
    // at the connectivity threshold (c = ln N = 8.5) a few isolated nodes are expected and dropped
    Graph g = GraphSpec.load("er:5000:8.5", 2).graph();
    assertEquals(0, g.unreachable(new int[] {0}).length, "connected");
    assertTrue(g.nodes() > 4980 && g.nodes() <= 5000, "only a few nodes dropped: " + g.nodes());
    assertEquals(8.5, 2.0 * g.edges() / g.nodes(), 0.2);
    // below the threshold the giant component is what remains
    Graph sparse = GraphSpec.load("er:5000:2", 2).graph();
    assertEquals(0, sparse.unreachable(new int[] {0}).length, "connected");
    assertTrue(
        sparse.nodes() > 3500 && sparse.nodes() < 4500,
        "the giant component of G(n, 2/n) holds about 80%: " + sparse.nodes());
    assertMessage("mean degree must be in (0, N - 1)", "er:100:0");
  }

  private static void assertMessage(String expected, String spec) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GraphSpec.load(spec, 0));
    assertTrue(
        e.getMessage().contains(expected),
        "'" + e.getMessage() + "' should contain '" + expected + "'");
    assertTrue(!e.getMessage().contains("\n"), "one line");
  }
}
