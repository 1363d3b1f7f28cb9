package dev.emergence.session;

import dev.emergence.optim.Adam;
import dev.emergence.optim.AdamWConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Run in a child JVM whose heap is fixed and touched up front ({@code -Xms=-Xmx}, {@code
 * -XX:+AlwaysPreTouch}), so that growth of the resident set is native memory only. Trains a small
 * model for {@code warmup} steps, then {@code steps} more, each feeding and fetching 64 KiB, and
 * prints the resident set before and after those steps. With {@code leak}, each step also allocates
 * a 64 KiB tensor it never closes: the control that shows the measurement can see a leak.
 */
public final class NativeMemoryProbe {
  private NativeMemoryProbe() {}

  public static void main(String[] args) throws IOException {
    int warmup = Integer.parseInt(args[0]);
    int steps = Integer.parseInt(args[1]);
    boolean leak = Boolean.parseBoolean(args[2]);
    int width = 64;
    int rows = 256;
    float[] x = new float[rows * width];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i * 0.37);
    }
    List<Tensor> leaked = new ArrayList<>();
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Ops tf = s.tf();
      Placeholder<TFloat32> in = tf.placeholder(TFloat32.class);
      Placeholder<TFloat32> lr = tf.placeholder(TFloat32.class);
      Variable<TFloat32> w =
          tf.withName("w")
              .variable(
                  tf.random.statelessRandomNormal(
                      tf.constant(new long[] {width, width}),
                      tf.constant(new long[] {7, 7}),
                      TFloat32.class));
      Operand<TFloat32> y = tf.linalg.matMul(in, tf.identity(w));
      Operand<TFloat32> loss =
          tf.math.mean(tf.math.square(tf.math.sub(y, in)), tf.constant(new int[] {0, 1}));
      Op step = new Adam(AdamWConfig.defaults()).minimize(s, loss, List.of(w), lr);
      long before = 0;
      for (int i = 0; i < warmup + steps; i++) {
        if (i == warmup) {
          before = residentBytes();
        }
        float[] out =
            s.run(Feeds.of().floats(in, x, rows, width).scalar(lr, 1e-3f), List.of(y), step)
                .floats(y);
        if (out.length != rows * width) {
          throw new IllegalStateException("fetched " + out.length + " values");
        }
        if (leak) {
          leaked.add(TFloat32.tensorOf(Shape.of(rows, width)));
        }
      }
      System.out.println(
          "resident_before="
              + before
              + " resident_after="
              + residentBytes()
              + " leaked="
              + leaked.size());
    }
  }

  /** Resident set size of this process, from /proc. */
  static long residentBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
