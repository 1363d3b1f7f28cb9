package dev.emergence.reparam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.nn.GnnReparametrization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeatBenchTest {
  @TempDir Path dir;

  @Test
  void benchWritesOneRowPerCellAndResumeSkipsSavedCells() throws Exception {
    HeatBench.Config config = new HeatBench.Config(List.of("grid2d:6x4"), List.of(OptimizerKind.SGD, OptimizerKind.ADAM), 2, 2,
        new double[] {1, 0.316}, 1e-6, 0, 1,
        new GnnReparametrization.Config(8, 2, GnnReparametrization.Skip.CONCAT, GnnReparametrization.Activation.TANH, 0), 20, 1e-4);
    List<String> lines = new ArrayList<>();
    HeatBench.run(config, dir, false, lines::add);
    List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
    assertEquals(1 + 4, csv.size(), String.join("\n", csv));
    // Both searched steps reach the tolerance; the faster in wall time wins, which timing decides.
    assertTrue(
        csv.get(1).startsWith("grid2d:6x4,16,sgd,direct,0.250000,") || csv.get(1).startsWith("grid2d:6x4,16,sgd,direct,0.0790000,"),
        csv.get(1));
    assertTrue(csv.get(1).contains(",true,"), "GD at the edge of stability reaches 1e-6 on a 6x4 grid: " + csv.get(1));
    assertTrue(Files.exists(dir.resolve("speedup.csv")));
    assertTrue(Files.readString(dir.resolve("speedup.csv")).contains("best:"));
    List<String> resumed = new ArrayList<>();
    HeatBench.run(config, dir, true, resumed::add);
    assertEquals(4, resumed.stream().filter(l -> l.startsWith("resumed")).count());
    assertEquals(csv, Files.readAllLines(dir.resolve("results.csv")));
  }

  @Test
  void reachedBeatsFasterBeatsSmallerGap() {
    MethodResult fast = new MethodResult("m", "o", 1, null, true, 10L, 1.0, 1e-7, 10, 1, 0, null, 0, false, null, null);
    MethodResult slow = new MethodResult("m", "o", 1, null, true, 20L, 2.0, 1e-7, 20, 2, 0, null, 0, false, null, null);
    MethodResult close = new MethodResult("m", "o", 1, null, false, null, null, 1e-5, 20, 2, 0, null, 0, false, null, null);
    MethodResult far = new MethodResult("m", "o", 1, null, false, null, null, 1e-2, 20, 2, 0, null, 0, false, null, null);
    assertTrue(HeatBench.better(fast, slow) && !HeatBench.better(slow, fast));
    assertTrue(HeatBench.better(slow, close) && HeatBench.better(close, far));
  }
}
