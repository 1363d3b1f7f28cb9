package dev.emergence.report.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.HistogramProto;

class TensorBoardTest {

  @Test
  void scalarsReadBackWithTheirTagsStepsAndValues(@TempDir Path dir) {
    try (TensorBoard tb = TensorBoard.forRun(dir)) {
      for (int step = 100; step <= 300; step += 100) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("loss", 2.0 / step);
        values.put("learning_rate", 1e-3);
        values.put("val_accuracy/overall", step / 400.0);
        values.put("val_accuracy/MAX", null); // skipped
        tb.scalars(step, values);
      }
      tb.scalar(400, "loss", 0.25);
    }
    Path logdir = dir.resolve("tensorboard");
    List<Path> files = EventFiles.files(logdir);
    assertEquals(1, files.size(), files.toString());
    assertTrue(
        files.get(0).getFileName().toString().startsWith("events.out.tfevents."), files.toString());
    assertTrue(files.get(0).getFileName().toString().endsWith(".v2"), files.toString());

    EventFiles.Log log = EventFiles.read(logdir);
    assertFalse(log.truncated());
    assertEquals("brain.Event:2", log.fileVersion());
    assertEquals(List.of("loss", "learning_rate", "val_accuracy/overall"), List.copyOf(log.tags()));
    List<EventFiles.Scalar> loss = log.scalars("loss");
    assertEquals(
        List.of(100L, 200L, 300L, 400L), loss.stream().map(EventFiles.Scalar::step).toList());
    assertEquals((float) 0.02, loss.get(0).value(), 0);
    assertEquals((float) 0.01, loss.get(1).value(), 0);
    assertEquals(0.25, loss.get(3).value(), 0);
    assertEquals((float) 1e-3, log.scalars("learning_rate").get(2).value(), 0);
    assertEquals(0.75, log.scalars("val_accuracy/overall").get(2).value(), 0);
    double now = System.currentTimeMillis() / 1e3;
    assertTrue(Math.abs(loss.get(0).wallTime() - now) < 600, "wall time " + loss.get(0).wallTime());
  }

  @Test
  void histogramsReadBackWithCountsSumsAndRange(@TempDir Path dir) {
    float[] w = new float[1000];
    for (int i = 0; i < w.length; i++) {
      w[i] = (i - 500) / 1000f;
    }
    double[] d = {1, 2, 3, 4};
    try (TensorBoard tb = TensorBoard.open(dir, false)) {
      Map<String, float[]> weights = new LinkedHashMap<>();
      weights.put("weights/h0.mlp.w1", w);
      weights.put("weights/bias", new float[] {0.5f});
      weights.put("weights/bad", new float[] {1, Float.NaN}); // skipped with a warning
      weights.put("weights/empty", new float[0]); // skipped with a warning
      tb.histograms(10, weights);
      tb.histograms(20, Map.of("weights/bias", new float[] {0.25f, 0.75f}));
      tb.histogram(30, "energy_terms", d);
    }
    EventFiles.Log log = EventFiles.read(dir);
    assertEquals(
        List.of("weights/h0.mlp.w1", "weights/bias", "energy_terms"), List.copyOf(log.tags()));
    HistogramProto h = log.histograms("weights/h0.mlp.w1").get(0).histogram();
    assertEquals(10, log.histograms("weights/h0.mlp.w1").get(0).step());
    assertEquals(1000, h.getNum(), 0);
    assertEquals(-0.5, h.getMin(), 1e-7);
    assertEquals(0.499, h.getMax(), 1e-7);
    assertEquals(-0.5, h.getSum(), 1e-4);
    assertEquals(1000, h.getBucketList().stream().mapToDouble(Double::doubleValue).sum(), 0);
    assertEquals(h.getBucketCount(), h.getBucketLimitCount());
    List<EventFiles.Histogram> bias = log.histograms("weights/bias");
    assertEquals(List.of(10L, 20L), bias.stream().map(EventFiles.Histogram::step).toList());
    assertEquals(1.0, bias.get(1).histogram().getSum(), 1e-7);
    HistogramProto e = log.histograms("energy_terms").get(0).histogram();
    assertEquals(30, log.histograms("energy_terms").get(0).step());
    assertEquals(4, e.getNum(), 0);
    assertEquals(10, e.getSum(), 0);
    assertEquals(30, e.getSumSquares(), 0);
    assertEquals(4, e.getMax(), 0);
  }

  @Test
  void manyScalarsAndHistogramsGoInChunksInOrder(@TempDir Path dir) {
    int n = 2 * TensorBoard.SLOTS + 7;
    long[] steps = new long[n];
    String[] tags = new String[n];
    double[] values = new double[n];
    Map<String, float[]> weights = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      steps[i] = i / 2;
      tags[i] = i % 2 == 0 ? "even" : "odd";
      values[i] = i;
      weights.put("w" + i, new float[] {i, i + 1});
    }
    try (TensorBoard tb = TensorBoard.open(dir, false)) {
      tb.scalars(steps, tags, values);
      tb.histograms(5, weights);
    }
    EventFiles.Log log = EventFiles.read(dir);
    List<EventFiles.Scalar> all = log.scalars();
    assertEquals(n, all.size());
    for (int i = 0; i < n; i++) {
      assertEquals(tags[i], all.get(i).tag());
      assertEquals(steps[i], all.get(i).step());
      assertEquals(values[i], all.get(i).value(), 0);
    }
    for (int i = 0; i < n; i++) {
      List<EventFiles.Histogram> h = log.histograms("w" + i);
      assertEquals(1, h.size(), "w" + i);
      assertEquals(2 * i + 1, h.get(0).histogram().getSum(), 0);
    }
  }

  @Test
  void oneWriterPerDirectory(@TempDir Path dir) {
    TensorBoard tb = TensorBoard.forRun(dir);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> TensorBoard.forRun(dir));
    assertTrue(e.getMessage().contains("already open"), e.getMessage());
    try (TensorBoard other = TensorBoard.forRun(dir, "seed1")) {
      other.scalar(1, "x", 1);
    }
    tb.close();
    tb.close(); // idempotent
    assertThrows(IllegalStateException.class, () -> tb.scalar(1, "x", 1));
    try (TensorBoard again = TensorBoard.forRun(dir)) {
      again.scalar(2, "x", 2);
    }
    assertEquals(1, EventFiles.read(dir.resolve("tensorboard/seed1")).scalars("x").size());
    assertThrows(IllegalArgumentException.class, () -> TensorBoard.forRun(dir, "../up"));
  }

  @Test
  void aCorruptRecordFailsAndATruncatedOneEndsTheLog(@TempDir Path dir) throws IOException {
    try (TensorBoard tb = TensorBoard.open(dir, true)) {
      tb.scalar(1, "x", 1);
      tb.scalar(2, "x", 2);
    }
    Path file = EventFiles.files(dir).get(0);
    byte[] bytes = Files.readAllBytes(file);
    Path cut = dir.resolve("cut");
    Files.createDirectories(cut);
    Files.write(
        cut.resolve("events.out.tfevents.cut"), java.util.Arrays.copyOf(bytes, bytes.length - 3));
    EventFiles.Log log = EventFiles.read(cut);
    assertTrue(log.truncated());
    assertEquals(List.of(1L), log.scalars("x").stream().map(EventFiles.Scalar::step).toList());

    byte[] flipped = bytes.clone();
    flipped[flipped.length - 6] ^= 1; // inside the last record's data
    Path bad = dir.resolve("bad");
    Files.createDirectories(bad);
    Files.write(bad.resolve("events.out.tfevents.bad"), flipped);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> EventFiles.read(bad));
    assertTrue(e.getMessage().contains("bad data checksum"), e.getMessage());
  }
}
