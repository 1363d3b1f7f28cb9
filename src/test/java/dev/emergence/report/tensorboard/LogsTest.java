package dev.emergence.report.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.nn.GptConfig;
import dev.emergence.session.SessionConfig;
import dev.emergence.train.ServingGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command adapters: what a tiny training run and a tiny reparametrization leave for
 * TensorBoard.
 */
class LogsTest {

  @Test
  void trainingEvaluationsWeightsTestAccuracyAndDigits(@TempDir Path run) throws Exception {
    GptConfig config = GptConfig.of(15, 12, 1, 2, 8);
    List<String> variables;
    try (ServingGraph model = new ServingGraph(SessionConfig.defaults(), config, 3);
        TrainingLog log = TrainingLog.open(run, true)) {
      variables = model.model().variables().stream().map(v -> "weights/" + v.op().name()).toList();
      for (int step = 10; step <= 30; step += 10) {
        log.evaluation(
            step,
            step == 10 ? null : 3.0 / step,
            1e-3 * step,
            Map.of("overall", step / 40.0),
            step / 100.0,
            1000.0 + step);
        log.weights(step, model.weights());
      }
      log.evaluation(40, 0.05, 1e-4, Map.of("overall", 1.0, "MAX", 1.0), 0.5, 2000);
      log.test(40, Map.of("overall", 0.875));
      float[] table = model.weights().get("wte");
      log.digits(table, 8, 11, 4);
    }
    Path logdir = run.resolve("tensorboard");
    EventFiles.Log events = EventFiles.read(logdir);
    assertEquals(List.of(20L, 30L, 40L), steps(events.scalars("loss")));
    assertEquals(0.1, events.scalars("loss").get(1).value(), 1e-7);
    assertEquals(List.of(10L, 20L, 30L, 40L), steps(events.scalars("learning_rate")));
    assertEquals(0.75, events.scalars("val_accuracy/overall").get(2).value(), 0);
    assertEquals(List.of(40L), steps(events.scalars("val_accuracy/MAX")));
    assertEquals(1030, events.scalars("tokens_per_s").get(2).value(), 0);
    assertEquals(List.of(10L, 20L, 30L, 40L), steps(events.scalars("elapsed_s")));
    assertEquals(0.875, events.scalars("test_accuracy/overall").get(0).value(), 0);
    // every variable's histogram at every evaluation
    assertEquals(variables, events.tags().stream().filter(t -> t.startsWith("weights/")).toList());
    assertTrue(variables.contains("weights/wte"), variables.toString());
    for (String v : variables) {
      assertEquals(3, events.histograms(v).size(), v);
    }
    String wte = "weights/wte";
    assertEquals(
        List.of(10L, 20L, 30L),
        events.histograms(wte).stream().map(EventFiles.Histogram::step).toList());
    assertEquals(15 * 8, events.histograms(wte).get(0).histogram().getNum(), 0);
    List<String> metadata = Files.readAllLines(logdir.resolve(Projector.METADATA));
    assertEquals(
        List.of("label\tvalue\tparity", "0\t0\teven", "1\t1\todd", "2\t2\teven", "3\t3\todd"),
        metadata);
    assertEquals(4, Files.readAllLines(logdir.resolve(Projector.TENSOR)).size());
    assertEquals(8, Files.readAllLines(logdir.resolve(Projector.TENSOR)).get(0).split("\t").length);
  }

  @Test
  void reparamIterationsAgainstIterationAndWallTimeWithStages(@TempDir Path run) {
    try (ReparamLog log = ReparamLog.open(run, "gnn", 0, true)) {
      double eStar = 2.0;
      for (int it = 0; it < 300; it++) {
        double gap = Math.pow(10, -it / 50.0);
        log.step(it, 0.0015 * it, eStar * (1 + gap), gap, ReparamLog.Stage.of(true, 200L, it));
      }
      log.scalar(300, "final_gap", 1e-6);
    }
    try (ReparamLog direct = ReparamLog.open(run, "direct", 0, true)) {
      direct.step(0, 0.25, Double.NaN, 0, ReparamLog.Stage.of(false, null, 0));
    }
    EventFiles.Log gnn = EventFiles.read(run.resolve("tensorboard/gnn-seed0"));
    assertEquals(300, gnn.scalars("gap").size());
    assertEquals(List.of(0L, 1L, 2L), steps(gnn.scalars("energy").subList(0, 3)));
    assertEquals(4.0, gnn.scalars("energy").get(0).value(), 0);
    assertEquals(-2.0, gnn.scalars("log10_gap").get(100).value(), 1e-6);
    assertEquals(1.0, gnn.scalars("stage").get(199).value(), 0);
    assertEquals(0.0, gnn.scalars("stage").get(200).value(), 0);
    List<EventFiles.Scalar> wallGap = gnn.scalars("wall_ms/gap");
    assertEquals(300, wallGap.size());
    assertEquals(Math.round(0.0015 * 299 * 1e3), wallGap.get(299).step());
    assertEquals(gnn.scalars("gap").get(299).value(), wallGap.get(299).value(), 0);
    assertEquals(
        List.of(
            "energy",
            "gap",
            "log10_gap",
            "stage",
            "wall_ms/energy",
            "wall_ms/gap",
            "wall_ms/log10_gap",
            "wall_ms/stage",
            "final_gap"),
        List.copyOf(gnn.tags()));
    EventFiles.Log direct = EventFiles.read(run.resolve("tensorboard/direct-seed0"));
    assertEquals(
        List.of("gap", "stage", "wall_ms/gap", "wall_ms/stage"), List.copyOf(direct.tags()));
    assertEquals(250L, direct.scalars("wall_ms/stage").get(0).step());
  }

  @Test
  void disabledLogsWriteNothing(@TempDir Path run) {
    try (TrainingLog t = TrainingLog.open(run, false);
        ReparamLog r = ReparamLog.open(run, "gnn", 1, false)) {
      assertFalse(t.enabled());
      assertNull(r.logdir());
      t.evaluation(1, 1.0, 1e-3, Map.of("overall", 0.5), 0.1, 10);
      t.weights(1, Map.of("w", new float[] {1}));
      t.digits(new float[12], 3, 0, 4);
      r.step(1, 0.1, 1, 1, ReparamLog.Stage.GNN);
    }
    assertFalse(Files.exists(run.resolve("tensorboard")));
  }

  @Test
  void replaySampleKeepsEndsAndIsSorted() {
    assertArrayEquals(new int[] {0, 1, 2}, ReparamLog.sample(3, 10));
    int[] s = ReparamLog.sample(100_000, 1000);
    assertEquals(0, s[0]);
    assertEquals(99_999, s[s.length - 1]);
    assertTrue(s.length > 800 && s.length <= 1002, "" + s.length);
    int[] sorted = s.clone();
    Arrays.sort(sorted);
    assertArrayEquals(sorted, s);
    assertEquals(s.length, Arrays.stream(s).distinct().count());
    assertTrue(Arrays.stream(s).filter(i -> i < 100).count() > 50, "dense early: log-spaced half");
  }

  private static List<Long> steps(List<EventFiles.Scalar> scalars) {
    return scalars.stream().map(EventFiles.Scalar::step).toList();
  }
}
