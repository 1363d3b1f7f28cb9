package dev.emergence.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.optim.Adam;
import dev.emergence.optim.AdamWConfig;
import dev.emergence.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
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
  private record Model(
      Placeholder<TFloat32> x,
      Placeholder<TFloat32> lr,
      Variable<TFloat32> w,
      Operand<TFloat32> y,
      Op step) {
    static Model build(GraphSession s, int width) {
      Ops tf = s.tf();
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
      Placeholder<TFloat32> lr = tf.placeholder(TFloat32.class);
      Variable<TFloat32> w =
          tf.withName("w")
              .variable(
                  tf.random.statelessRandomNormal(
                      tf.constant(new long[] {width, width}),
                      tf.constant(new long[] {7, 7}),
                      TFloat32.class));
      Operand<TFloat32> y = tf.linalg.matMul(x, tf.identity(w));
      Operand<TFloat32> loss =
          tf.math.mean(tf.math.square(tf.math.sub(y, x)), tf.constant(new int[] {0, 1}));
      Op step = new Adam(AdamWConfig.defaults()).minimize(s, loss, List.of(w), lr);
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

  /**
   * Native memory is flat over 1000 steps that each feed and fetch 64 KiB, measured in a child JVM
   * whose heap is fixed and pre-touched so the resident set cannot grow with the Java heap; the
   * same run leaking one 64 KiB tensor per step is seen, so the measurement can fail.
   */
  @Test
  void nativeMemoryDoesNotGrowOverManySteps() {
    long clean = nativeGrowth(1000, false);
    long leaking = nativeGrowth(1000, true);
    assertTrue(
        clean < 16L << 20, "resident memory grew by " + (clean >> 20) + " MiB over 1000 steps");
    assertTrue(leaking > 32L << 20, "a 62 MiB leak shows: grew by " + (leaking >> 20) + " MiB");
  }

  /** The soak: 10^4 steps without native growth. */
  @Test
  @Tag("slow")
  void nativeMemoryStaysFlatOverTenThousandSteps() {
    long clean = nativeGrowth(10_000, false);
    assertTrue(
        clean < 16L << 20, "resident memory grew by " + (clean >> 20) + " MiB over 10^4 steps");
  }

  private static long nativeGrowth(int steps, boolean leak) {
    ChildJvm.Outcome run =
        ChildJvm.run(
            NativeMemoryProbe.class,
            List.of("-Xms192m", "-Xmx192m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC"),
            List.of("300", Integer.toString(steps), Boolean.toString(leak)),
            Duration.ofMinutes(5));
    assertEquals(0, run.exitCode(), run.output());
    Matcher m =
        Pattern.compile("resident_before=(\\d+) resident_after=(\\d+)").matcher(run.output());
    assertTrue(m.find(), run.output());
    return Long.parseLong(m.group(2)) - Long.parseLong(m.group(1));
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
      s.run(
          Feeds.of().floats(m.x(), input(2, 4), 2, 4).scalar(m.lr(), 1e-3f),
          List.of(m.y()),
          m.step());
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
      OpProfile profile =
          s.profile(() -> Feeds.of().floats(m.x(), x, 16, 8).scalar(m.lr(), 1e-2f), 3, m.step());
      assertEquals(3, profile.runs());
      // oneDNN builds name the kernel _MklMatMul; forward and gradient products run in each of the
      // 3 runs
      assertTrue(
          profile.types().stream().anyMatch(e -> e.name().contains("MatMul") && e.count() >= 3),
          profile.types().toString());
      assertTrue(profile.ops().size() >= profile.types().size());
      assertTrue(
          profile.types().get(0).micros()
              >= profile.types().get(profile.types().size() - 1).micros(),
          "slowest first");
    }
  }

  @Test
  void checkpointRestoresTrainedValues(@TempDir Path dir) {
    String prefix = dir.resolve("ckpt").toString();
    float[] saved;
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Model m = Model.build(s, 8);
      for (int i = 0; i < 5; i++) {
        s.run(
            Feeds.of().floats(m.x(), input(16, 8), 16, 8).scalar(m.lr(), 1e-2f),
            List.of(),
            m.step());
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
}
