package dev.emergence.reparam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.nn.GnnReparametrization;
import dev.emergence.report.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkTest {
  @TempDir Path dir;

  @Test
  void benchWritesOneRowPerCellAndResumeSkipsSavedCells() throws Exception {
    Benchmark.Config config = new Benchmark.Config("heat", List.of("grid2d:6x4"), List.of(OptimizerKind.SGD, OptimizerKind.ADAM), 2, 2,
        new double[] {1, 0.316}, 1e-6, 0, 1,
        new GnnReparametrization.Config(8, 2, GnnReparametrization.Skip.CONCAT, GnnReparametrization.Activation.TANH, 0), 20, 1e-4);
    List<String> lines = new ArrayList<>();
    Benchmark.run(config, dir, false, lines::add);
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
    Benchmark.run(config, dir, true, resumed::add);
    assertEquals(4, resumed.stream().filter(l -> l.startsWith("resumed")).count());
    assertEquals(csv, Files.readAllLines(dir.resolve("results.csv")));
  }

  /** The committed reference cells stay readable by --resume, through the records the benchmark writes. */
  @Test
  void committedReferenceCellsAreReadBackThroughTheWrittenRecords() throws Exception {
    Path cells = Path.of("experiments/results/reparam-heat/cells");
    List<Path> files;
    try (var list = Files.list(cells)) {
      files = list.sorted().toList();
    }
    assertEquals(36, files.size());
    for (Path file : files) {
      Benchmark.Cell cell = Json.read(file, Benchmark.Cell.class);
      assertEquals(file.getFileName().toString(), Benchmark.fileName(cell.graph(), OptimizerKind.parse(cell.optimizer()), cell.method()));
      assertEquals(Files.readString(file), Json.pretty(cell), file.toString());
    }
  }

  @Test
  void reachedBeatsFasterBeatsSmallerGap() {
    MethodResult fast = new MethodResult("m", "o", 1, null, true, 10L, 1.0, 1e-7, 10, 1, 0, null, 0.0, false, null, null);
    MethodResult slow = new MethodResult("m", "o", 1, null, true, 20L, 2.0, 1e-7, 20, 2, 0, null, 0.0, false, null, null);
    MethodResult close = new MethodResult("m", "o", 1, null, false, null, null, 1e-5, 20, 2, 0, null, 0.0, false, null, null);
    MethodResult far = new MethodResult("m", "o", 1, null, false, null, null, 1e-2, 20, 2, 0, null, 0.0, false, null, null);
    assertTrue(Benchmark.better(fast, slow) && !Benchmark.better(slow, fast));
    assertTrue(Benchmark.better(slow, close) && Benchmark.better(close, far));
  }
}
