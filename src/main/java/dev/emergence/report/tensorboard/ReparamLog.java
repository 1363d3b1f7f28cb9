package dev.emergence.report.tensorboard;

import com.google.common.base.Preconditions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongFunction;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A reparametrization run's TensorBoard log, one per method and seed ({@code
 * RUN/tensorboard/METHOD-seedN}, so TensorBoard overlays direct against GNN and seed against seed).
 *
 * <p>Tags against the iteration: {@code energy}, {@code gap} (the relative gap (E - E*)/E*; use the
 * chart's log-scale toggle), {@code log10_gap} (for gaps above 0), {@code stage} (1 while the GNN
 * stage runs, 0 for direct optimization). The same four under {@code wall_ms/} with the step set to
 * the wall time since the run's start in milliseconds (rounded): TensorBoard's x axis then reads as
 * time. TensorBoard's own "relative"/"wall" x axes show when events were written, which for a trace
 * replayed after the run is not when the iterations ran.
 *
 * <p>{@link #step} only buffers (no TensorFlow call): {@link #flush} or {@link #close} write the
 * buffer in a few session runs. Replay a method's trace after its timed run, sampled with {@link
 * #sample} (TensorBoard keeps at most 1000 points per tag anyway). A failing write is logged once
 * and ends the log; {@link #disabled()} does nothing.
 */
public final class ReparamLog implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(ReparamLog.class);
  private static final int BUFFER = 8 * TensorBoard.SLOTS;

  /** Which stage an iteration belongs to; written as its {@link #value}. */
  public enum Stage {
    DIRECT(0),
    GNN(1);

    public final int value;

    Stage(int value) {
      this.value = value;
    }

    /**
     * The stage of an iteration: a two-stage run is in the GNN stage before {@code
     * stageSwitchIteration} (null: it never switched), in the direct stage from it on; any other
     * run is direct throughout.
     */
    public static Stage of(boolean twoStage, Long stageSwitchIteration, long iteration) {
      return twoStage && (stageSwitchIteration == null || iteration < stageSwitchIteration)
          ? GNN
          : DIRECT;
    }
  }

  /**
   * A finished run's trace as replayed: per entry its iteration, wall seconds since the run's start
   * and gap.
   */
  public interface Curve {
    int size();

    long iteration(int i);

    double seconds(int i);

    double gap(int i);
  }

  private TensorBoard tb;
  private long[] steps = new long[BUFFER];
  private String[] tags = new String[BUFFER];
  private double[] values = new double[BUFFER];
  private int size;

  private ReparamLog(TensorBoard tb) {
    this.tb = tb;
  }

  /** Writes to {@code RUN/tensorboard/METHOD-seedSEED}, or nothing when not {@code enabled}. */
  public static ReparamLog open(Path runRoot, String method, long seed, boolean enabled) {
    return open(runRoot, method + "-seed" + seed, enabled);
  }

  /** Writes to {@code RUN/tensorboard/SUBRUN}, or nothing when not {@code enabled}. */
  public static ReparamLog open(Path runRoot, String subRun, boolean enabled) {
    return enabled
        ? new ReparamLog(
            TensorBoard.open(runRoot.resolve(TensorBoard.DIR).resolve(checked(subRun)), false))
        : disabled();
  }

  /** A log that writes nothing. */
  public static ReparamLog disabled() {
    return new ReparamLog(null);
  }

  public boolean enabled() {
    return tb != null;
  }

  public Path logdir() {
    return tb == null ? null : tb.logdir();
  }

  /**
   * One iteration. {@code energy} NaN (unknown) skips the energy tags; a non-positive gap skips
   * {@code log10_gap}.
   */
  public void step(long iteration, double wallS, double energy, double gap, Stage stage) {
    if (tb == null) {
      return;
    }
    long ms = Math.round(wallS * 1e3);
    if (!Double.isNaN(energy)) {
      add(iteration, "energy", energy);
    }
    add(iteration, "gap", gap);
    if (gap > 0) {
      add(iteration, "log10_gap", Math.log10(gap));
    }
    add(iteration, "stage", stage.value);
    if (!Double.isNaN(energy)) {
      add(ms, "wall_ms/energy", energy);
    }
    add(ms, "wall_ms/gap", gap);
    if (gap > 0) {
      add(ms, "wall_ms/log10_gap", Math.log10(gap));
    }
    add(ms, "wall_ms/stage", stage.value);
  }

  /**
   * Replays a finished run's trace: about {@code points} entries ({@link #sample}), the energy of
   * each recovered from its gap ({@code energyOfGap}: E* (1 + gap) for a relative gap, V + gap for
   * a value), the stage from {@code stageAt}. The caller adds its summary scalars and flushes.
   */
  public void replay(
      Curve trace, DoubleUnaryOperator energyOfGap, LongFunction<Stage> stageAt, int points) {
    if (tb == null || trace.size() == 0) {
      return;
    }
    for (int i : sample(trace.size(), points)) {
      double gap = trace.gap(i);
      step(
          trace.iteration(i),
          trace.seconds(i),
          energyOfGap.applyAsDouble(gap),
          gap,
          stageAt.apply(trace.iteration(i)));
    }
  }

  /** A summary scalar (final gap, iterations to the tolerance, ...) at a step of your choice. */
  public void scalar(long step, String tag, double value) {
    if (tb != null) {
      add(step, tag, value);
    }
  }

  /** Writes what is buffered and flushes the file. */
  public void flush() {
    if (tb == null) {
      return;
    }
    try {
      drain();
      tb.flush();
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  /** Writes what is buffered and closes the file. */
  @Override
  public void close() {
    if (tb == null) {
      return;
    }
    try {
      drain();
      tb.close();
    } catch (RuntimeException e) {
      fail(e);
    } finally {
      tb = null;
    }
  }

  /**
   * About {@code points} indices of a trace of {@code size} entries for replay, sorted: half spaced
   * evenly in log(index + 1) (the early iterations, where the gap falls fastest), half spaced
   * evenly in the index; always the first and the last.
   */
  public static int[] sample(int size, int points) {
    Preconditions.checkArgument(points >= 2, "sample at least 2 points, got %s", points);
    if (size <= points) {
      int[] all = new int[size];
      Arrays.setAll(all, i -> i);
      return all;
    }
    TreeSet<Integer> picked = new TreeSet<>();
    int half = points / 2;
    double top = Math.log(size);
    for (int k = 0; k <= half; k++) {
      picked.add((int) Math.min(size - 1, Math.round(Math.exp(top * k / half)) - 1));
    }
    for (int k = 0; k <= points - half; k++) {
      picked.add((int) Math.round((double) (size - 1) * k / (points - half)));
    }
    return picked.stream().mapToInt(Integer::intValue).toArray();
  }

  private void add(long step, String tag, double value) {
    steps[size] = step;
    tags[size] = tag;
    values[size++] = value;
    if (size == BUFFER) {
      try {
        drain();
      } catch (RuntimeException e) {
        fail(e);
      }
    }
  }

  private void drain() {
    if (size > 0) {
      int n = size;
      size = 0;
      tb.scalars(Arrays.copyOf(steps, n), Arrays.copyOf(tags, n), Arrays.copyOf(values, n));
    }
  }

  private void fail(RuntimeException e) {
    if (tb == null) {
      return;
    }
    LOG.warn(
        "TensorBoard: writing to {} failed, no more TensorBoard output for this run: {}",
        tb.logdir(),
        e.toString());
    try {
      tb.close();
    } catch (RuntimeException ignored) {
      // already failing
    }
    tb = null;
    size = 0;
  }

  private static String checked(String subRun) {
    Preconditions.checkArgument(
        !subRun.isBlank()
            && !subRun.contains("/")
            && !subRun.contains("\\")
            && !subRun.startsWith("."),
        "sub-run name must be one plain folder name, got '%s'",
        subRun);
    return subRun;
  }
}
