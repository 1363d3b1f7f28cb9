package dev.emergence.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.optim.AdamW;
import dev.emergence.optim.AdamWConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class GraphSessionTest {

  /** A linear model y = x w trained by AdamW; the model and the step it trains with. */
  private record Model(Placeholder<TFloat32> x, Placeholder<TFloat32> lr, Variable<TFloat32> w, Operand<TFloat32> y, Op step) {
    static Model build(GraphSession s, int width) {
      Ops tf = s.tf();
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
      Placeholder<TFloat32> lr = tf.placeholder(TFloat32.class);
      Variable<TFloat32> w =
          tf.withName("w").variable(tf.random.statelessRandomNormal(tf.constant(new long[] {width, width}), tf.constant(new long[] {7, 7}), TFloat32.class));
      Operand<TFloat32> y = tf.linalg.matMul(x, tf.identity(w));
      Operand<TFloat32> loss = tf.math.mean(tf.math.square(tf.math.sub(y, x)), tf.constant(new int[] {0, 1}));
      Op step = new AdamW(AdamWConfig.defaults()).minimize(s, loss, List.of(w), lr);
      return new Model(x, lr, w, y, step);
    }
  }

  private static float[] input(int rows, int width) {
    float[] x = new float[rows * width];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i * 0.37);
    }
    return x;
  }

  @Test
  void nativeMemoryDoesNotGrowOverManySteps() throws IOException {
    int width = 64;
    int rows = 256;
    float[] x = input(rows, width);
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Model m = Model.build(s, width);
      long[] shape = {rows, width};
      // Warm up until the JVM heap, which also lives in the resident set, has touched all its young
      // generation (about 3000 steps here); after that the resident set is flat unless a tensor leaks.
      for (int i = 0; i < 3000; i++) {
        s.run(Feeds.of().floats(m.x(), x, shape).scalar(m.lr(), 1e-3f), List.of(m.y()), m.step());
      }
      long before = residentBytes();
      for (int i = 0; i < 1000; i++) {
        // each step feeds 64 KiB and fetches 64 KiB: a leak of either would add over 60 MiB
        float[] y = s.run(Feeds.of().floats(m.x(), x, shape).scalar(m.lr(), 1e-3f), List.of(m.y()), m.step()).floats(m.y());
        assertEquals(rows * width, y.length);
      }
      long grown = residentBytes() - before;
      assertTrue(grown < 20L << 20, "resident memory grew by " + (grown >> 20) + " MiB over 1000 steps");
    }
  }

  @Test
  void gpuPlacementFallsBackToTheCpuWithIdenticalNumbers() {
    float[] onCpu = trainBriefly(Device.CPU);
    float[] onGpu = trainBriefly(Device.GPU);
    assertArrayEquals(onCpu, onGpu);
  }

  @Test
  void gpuPlacementIsTracedOnce() {
    try (GraphSession s = new GraphSession(new SessionConfig(1, 1, Device.GPU))) {
      Model m = Model.build(s, 4);
      s.run(Feeds.of().floats(m.x(), input(2, 4), 2, 4).scalar(m.lr(), 1e-3f), List.of(m.y()), m.step());
      assertFalse(s.placement().isEmpty(), "the first GPU-configured run records where ops ran");
      boolean gpuVisible = s.placement().keySet().stream().anyMatch(d -> d.contains("GPU"));
      assertTrue(gpuVisible || s.placement().keySet().stream().allMatch(d -> d.contains("CPU")));
    }
  }

  private static float[] trainBriefly(Device device) {
    try (GraphSession s = new GraphSession(new SessionConfig(1, 1, device))) {
      Model m = Model.build(s, 8);
      float[] x = input(16, 8);
      for (int i = 0; i < 20; i++) {
        s.run(Feeds.of().floats(m.x(), x, 16, 8).scalar(m.lr(), 1e-2f), List.of(), m.step());
      }
      Operand<TFloat32> w = s.tf().identity(m.w());
      return s.run(Feeds.of(), List.of(w)).floats(w);
    }
  }

  @Test
  void profileTracesEveryRunAndNamesTheOps() {
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Model m = Model.build(s, 8);
      float[] x = input(16, 8);
      OpProfile profile = s.profile(() -> Feeds.of().floats(m.x(), x, 16, 8).scalar(m.lr(), 1e-2f), 3, m.step());
      assertEquals(3, profile.runs());
      // oneDNN builds name the kernel _MklMatMul; forward and gradient products run in each of the 3 runs
      assertTrue(profile.types().stream().anyMatch(e -> e.name().contains("MatMul") && e.count() >= 3), profile.types().toString());
      assertTrue(profile.ops().size() >= profile.types().size());
      assertTrue(profile.types().get(0).micros() >= profile.types().get(profile.types().size() - 1).micros(), "slowest first");
    }
  }

  @Test
  void checkpointRestoresTrainedValues(@TempDir Path dir) {
    String prefix = dir.resolve("ckpt").toString();
    float[] saved;
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Model m = Model.build(s, 8);
      for (int i = 0; i < 5; i++) {
        s.run(Feeds.of().floats(m.x(), input(16, 8), 16, 8).scalar(m.lr(), 1e-2f), List.of(), m.step());
      }
      Operand<TFloat32> w = s.tf().identity(m.w());
      saved = s.run(Feeds.of(), List.of(w)).floats(w);
      s.save(prefix);
    }
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Model m = Model.build(s, 8);
      s.restore(prefix);
      Operand<TFloat32> w = s.tf().identity(m.w());
      assertArrayEquals(saved, s.run(Feeds.of(), List.of(w)).floats(w));
    }
  }

  @Test
  void feedsRejectAShapeTheyDoNotFill() {
    try (GraphSession s = new GraphSession(SessionConfig.defaults());
        Feeds feeds = Feeds.of()) {
      Placeholder<TFloat32> x = s.tf().placeholder(TFloat32.class);
      IllegalArgumentException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class, () -> feeds.floats(x, new float[5], 2, 3));
      assertTrue(e.getMessage().contains("does not fill shape [2, 3]"), e.getMessage());
    }
  }

  /** Resident set size of this process, from /proc (TensorFlow's allocations are invisible to the JVM). */
  static long residentBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
