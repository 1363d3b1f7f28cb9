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
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GraphSpec.parse("file:" + edges + ",missing.csv"));
    assertEquals("file not found: missing.csv", e.getMessage(), "both files are checked before any work");
  }

  @Test
  void badSpecsAndFilesFailWithOneClearLine() throws Exception {
    assertMessage("unknown graph kind", "torus:4x4");
    assertMessage("expected 2 sizes", "grid2d:4");
    assertMessage("not an integer", "grid2d:4xq");
    assertMessage("has no ':'", "grid2d");
    assertMessage("file not found", "file:" + dir.resolve("missing.csv") + "," + dir.resolve("b.csv"));
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

  private static void assertMessage(String expected, String spec) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GraphSpec.load(spec, 0));
    assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should contain '" + expected + "'");
    assertTrue(!e.getMessage().contains("\n"), "one line");
  }
}
