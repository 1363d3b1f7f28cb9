package dev.emergence.reparam.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.reparam.graph.Graph;
import dev.emergence.reparam.problem.KuramotoProblem.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Vortex counts on phase fields built by hand: plaquette windings on grids, spanning-tree cycles
 * elsewhere.
 */
class WindingsTest {
  private static final int W = 20;
  private static final int H = 16;

  /**
   * A phase field on the W x H grid: the sum of the given point defects' angles, charge +1 or -1
   * each.
   */
  private static double[] field(double[][] defects) {
    double[] theta = new double[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        for (double[] d : defects) {
          theta[x + W * y] += d[2] * Math.atan2(y - d[1], x - d[0]);
        }
      }
    }
    return theta;
  }

  private static Map<String, Double> measures(String spec, double[] theta) {
    return Settings.DEFAULTS.create(spec, 0).measures(theta);
  }

  @Test
  void plaquettesCountEachVortexAndAntivortexOnce() {
    String grid = "grid2d:" + W + "x" + H;
    assertEquals(Map.of("vortices", 0.0), measures(grid, new double[W * H]), "synchronized");
    assertEquals(Map.of("vortices", 1.0), measures(grid, field(new double[][] {{6.5, 7.5, 1}})));
    assertEquals(
        Map.of("vortices", 2.0),
        measures(grid, field(new double[][] {{5.5, 7.5, 1}, {14.5, 8.5, -1}})),
        "a vortex pair");
    double[] twisted =
        new double[W * H]; // a plane wave winds once across the grid but around no plaquette
    for (int i = 0; i < twisted.length; i++) {
      twisted[i] = 2 * Math.PI * (i % W) / W;
    }
    assertEquals(Map.of("vortices", 0.0), measures(grid, twisted));
    int[] loop = Windings.plaquettes(W, H, 1).get(0);
    assertEquals(
        -1,
        Windings.winding(field(new double[][] {{0.5, 0.5, -1}}), loop),
        "an antivortex winds the other way");
  }

  @Test
  void aVortexLineCrossesOnePlaquettePerLayer() {
    double[] theta = new double[6 * 5 * 4];
    for (int z = 0; z < 4; z++) {
      for (int y = 0; y < 5; y++) {
        for (int x = 0; x < 6; x++) {
          theta[x + 6 * (y + 5 * z)] = Math.atan2(y - 2.5, x - 2.5); // a straight line along z
        }
      }
    }
    assertEquals(Map.of("vortices", 4.0), measures("grid3d:6x5x4", theta));
    assertEquals(
        5 * 4 * 4 + 5 * 3 * 5 + 4 * 3 * 6,
        Windings.plaquettes(6, 5, 4).size(),
        "xy, xz and yz plaquettes of 6x5x4");
  }

  @Test
  void onARandomGeometricGraphThePhaseSampledOnAGridShowsEachVortex() {
    KuramotoProblem rgg = Settings.DEFAULTS.create("rgg:3000:0.05", 4);
    double[][] pos = rgg.graph().positions();
    double[] one = new double[pos.length];
    double[] pair = new double[pos.length];
    for (int i = 0; i < pos.length; i++) {
      one[i] = Math.atan2(pos[i][1] - 0.51, pos[i][0] - 0.52);
      pair[i] =
          Math.atan2(pos[i][1] - 0.41, pos[i][0] - 0.27)
              - Math.atan2(pos[i][1] - 0.62, pos[i][0] - 0.73);
    }
    assertEquals(Map.of("vortices", 0.0), rgg.measures(new double[pos.length]));
    assertEquals(Map.of("vortices", 1.0), rgg.measures(one));
    assertEquals(Map.of("vortices", 2.0), rgg.measures(pair));
  }

  @Test
  void offTheGridTheSpanningTreesCyclesThatWindAreCounted() {
    int n = 12; // a ring: one cycle, which a twisted state winds around once
    int[] from = new int[n];
    int[] to = new int[n];
    double[] w = new double[n];
    double[] twisted = new double[n];
    for (int i = 0; i < n; i++) {
      from[i] = i;
      to[i] = (i + 1) % n;
      w[i] = 1;
      twisted[i] = 2 * Math.PI * i / n;
    }
    KuramotoProblem ring =
        new KuramotoProblem(new Graph(n, from, to, w, null), Settings.DEFAULTS, 0);
    assertEquals(Map.of("winding_cycles", 1.0), ring.measures(twisted));
    assertEquals(Map.of("winding_cycles", 0.0), ring.measures(new double[n]));
    // on an rrg a smooth potential winds nowhere; the count is the same for any constant shift
    KuramotoProblem rrg = Settings.DEFAULTS.create("rrg:200:3", 1);
    double[] potential = new double[200];
    for (int i = 0; i < potential.length; i++) {
      potential[i] = 0.01 * i + 7;
    }
    assertEquals(Map.of("winding_cycles", 0.0), rrg.measures(potential));
    KuramotoProblem fullCircle =
        new Settings(KuramotoProblem.HessianAt.SYNCHRONIZED, 2 * Math.PI, null)
            .create("rrg:200:3", 1);
    assertTrue(
        fullCircle.measures(fullCircle.initialPoint(3)).get("winding_cycles") > 0,
        "random phases over the full circle wind somewhere");
    assertEquals(
        Map.of("winding_cycles", 0.0),
        rrg.measures(rrg.initialPoint(3)),
        "phases within 3 radians (< pi) cannot wind");
  }
}
