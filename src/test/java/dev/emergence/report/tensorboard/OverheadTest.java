package dev.emergence.report.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.nn.Gpt;
import dev.emergence.nn.GptConfig;
import dev.emergence.session.SessionConfig;
import dev.emergence.train.ServingGraph;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one evaluation's TensorBoard output costs for the quickstart's model (15,136 parameters):
 * its scalars, then its weights fetched from the model's session and written as histograms,
 * flushed. Printed, and bounded loosely (a shared machine); the graph must not grow from call to
 * call.
 */
class OverheadTest {
  private static final int CALLS = 30;

  @Test
  void oneEvaluationOfTheQuickstartModelTakesMilliseconds(@TempDir Path run) {
    GptConfig config = GptConfig.of(21, 53, 1, 2, 32); // the quickstart's train step
    assertEquals(15_136, config.parameterCount());
    long[] scalarsNanos = new long[CALLS];
    long[] fetchNanos = new long[CALLS];
    long[] weightsNanos = new long[CALLS];
    int opsAfterFirst;
    try (ServingGraph model = new ServingGraph(SessionConfig.defaults(), config, 1);
        TrainingLog log = TrainingLog.open(run, true)) {
      model.weights(); // the model's own first run initializes its variables
      TensorBoard tb = log.writer();
      opsAfterFirst = -1;
      for (int i = -5; i < CALLS; i++) { // 5 warm-up calls
        long t0 = System.nanoTime();
        log.evaluation(
            100L * (i + 6), 0.5, 1e-3, Map.of("overall", 0.9, "MAX", 0.9), 12.0, 150_000.0);
        long t1 = System.nanoTime();
        Map<String, float[]> weights = model.weights();
        long t2 = System.nanoTime();
        log.weights(100L * (i + 6), weights);
        long t3 = System.nanoTime();
        if (i == -5) {
          opsAfterFirst = tb.graphOperations();
        }
        if (i >= 0) {
          scalarsNanos[i] = t1 - t0;
          fetchNanos[i] = t2 - t1;
          weightsNanos[i] = t3 - t2;
        }
      }
      assertEquals(opsAfterFirst, tb.graphOperations(), "ops are built once, not per call");
    }
    long[] total = new long[CALLS];
    Arrays.setAll(total, i -> scalarsNanos[i] + fetchNanos[i] + weightsNanos[i]);
    System.out.printf(
        Locale.ROOT,
        "TensorBoard overhead per evaluation (15,136 params, %d weight tensors, flushed): median %.2f ms"
            + " (scalars %.2f ms, fetching the weights %.2f ms, histograms %.2f ms), max %.2f ms%n",
        Gpt.member(org.tensorflow.op.Ops.create(new org.tensorflow.Graph()), config, 1)
            .variables()
            .size(),
        median(total),
        median(scalarsNanos),
        median(fetchNanos),
        median(weightsNanos),
        Arrays.stream(total).max().orElse(0) / 1e6);
    assertTrue(median(total) < 100, "median " + median(total) + " ms");
  }

  @Test
  void flushCostAlone(@TempDir Path dir) {
    try (TensorBoard onDemand = TensorBoard.open(dir.resolve("a"), false);
        TensorBoard flushed = TensorBoard.open(dir.resolve("b"), true)) {
      long[] a = new long[CALLS];
      long[] b = new long[CALLS];
      for (int i = -5; i < CALLS; i++) {
        Map<String, Double> values =
            Map.of("loss", 1.0 / (i + 6), "learning_rate", 1e-3, "tokens_per_s", 1e5);
        long t0 = System.nanoTime();
        onDemand.scalars(i + 6, values);
        long t1 = System.nanoTime();
        flushed.scalars(i + 6, values);
        long t2 = System.nanoTime();
        if (i >= 0) {
          a[i] = t1 - t0;
          b[i] = t2 - t1;
        }
      }
      System.out.printf(
          Locale.ROOT,
          "3 scalars: %.3f ms unflushed, %.3f ms flushed (fsync)%n",
          median(a),
          median(b));
    }
  }

  private static double median(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2] / 1e6;
  }
}
