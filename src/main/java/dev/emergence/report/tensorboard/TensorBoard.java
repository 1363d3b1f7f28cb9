package dev.emergence.report.tensorboard;

import com.google.common.base.Preconditions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TNumber;
import org.tensorflow.types.family.TType;

/**
 * Writes TensorBoard event files ({@code events.out.tfevents.*.v2}) with TensorFlow's own summary
 * ops ({@code SummaryWriter}, {@code CreateSummaryFileWriter}, {@code WriteScalarSummary}, {@code
 * WriteHistogramSummary}, {@code FlushSummaryWriter}, {@code CloseSummaryWriter}), run in a small
 * Graph and Session of its own, one inter/intra-op thread: a model's graph, session and timing are
 * never touched.
 *
 * <p>The ops are built once and reused: one call of {@link #scalars} is one session run for up to
 * {@value #SLOTS} scalars (a chain of write ops, each reading one element of a step, a tag and a
 * value vector), likewise {@link #histograms}; with {@code flushEveryCall} a second run flushes the
 * file. A run killed after a flush leaves a file readable up to that flush ({@link EventFiles}).
 * Scalars are stored as TensorFlow stores them: float32 {@code simple_value}s.
 *
 * <p>One writer per log directory (a second open of the same directory fails until the first is
 * closed). Not for the timed part of a training step: write at evaluations.
 */
public final class TensorBoard implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(TensorBoard.class);

  /** The folder of event files in a run directory. */
  public static final String DIR = "tensorboard";

  private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();
  private static final AtomicLong WRITERS = new AtomicLong();

  /**
   * Events queued before the writer itself flushes, and its own flush period (a flush is also ours
   * to ask).
   */
  private static final int MAX_QUEUE = 1000;

  private static final int FLUSH_MILLIS = 60_000;

  /** Scalars written per session run at most (a chain of this many write ops at most). */
  static final int SLOTS = 64;

  private final Path logdir;
  private final boolean flushEveryCall;
  private final Graph graph;
  private final Session session;
  private final Ops tf;
  private final Operand<? extends TType> writer;
  private final Placeholder<TInt64> histogramStep;
  private final Placeholder<TInt64> scalarSteps;
  private final Placeholder<TString> scalarTags;
  private final Placeholder<TFloat64> scalarValues;
  private final List<Op> scalarSlots = new ArrayList<>();
  private final Placeholder<TString> histogramTags;
  private final List<Placeholder<TFloat32>> floatValues = new ArrayList<>();
  private final List<Op> floatSlots = new ArrayList<>();
  private final List<Placeholder<TFloat64>> doubleValues = new ArrayList<>();
  private final List<Op> doubleSlots = new ArrayList<>();
  private final Op flush;
  private final Op closeWriter;
  private boolean closed;

  /** A writer into {@code RUN/tensorboard}, flushed at every call. */
  public static TensorBoard forRun(Path runRoot) {
    return open(runRoot.resolve(DIR), true);
  }

  /**
   * A writer into {@code RUN/tensorboard/SUBRUN}: one TensorBoard run per model of a sweep, or per
   * method and seed of a reparametrization, overlaid in TensorBoard's charts.
   */
  public static TensorBoard forRun(Path runRoot, String subRun) {
    Preconditions.checkArgument(
        !subRun.isBlank()
            && !subRun.contains("/")
            && !subRun.contains("\\")
            && !subRun.startsWith("."),
        "sub-run name must be one plain folder name, got '%s'",
        subRun);
    return open(runRoot.resolve(DIR).resolve(subRun), true);
  }

  /**
   * A writer of event files into {@code logdir} (created if missing).
   *
   * @param flushEveryCall flush the file at the end of each {@link #scalars}/{@link #histograms}
   *     call; else only on {@link #flush()}, {@link #close()}, or when TensorFlow's writer queue
   *     fills (1000 events) or a minute has passed
   */
  public static TensorBoard open(Path logdir, boolean flushEveryCall) {
    Path key = logdir.toAbsolutePath().normalize();
    Preconditions.checkState(OPEN.add(key), "a TensorBoard writer for %s is already open", key);
    try {
      Files.createDirectories(key);
      return new TensorBoard(key, flushEveryCall);
    } catch (IOException e) {
      OPEN.remove(key);
      throw new UncheckedIOException("cannot create the TensorBoard directory " + key, e);
    } catch (RuntimeException | Error e) {
      OPEN.remove(key);
      throw e;
    }
  }

  private TensorBoard(Path logdir, boolean flushEveryCall) {
    this.logdir = logdir;
    this.flushEveryCall = flushEveryCall;
    this.graph = new Graph();
    try {
      this.tf = Ops.create(graph);
      this.writer =
          tf.summary.summaryWriter(
              SummaryWriter.sharedName("tensorboard_" + WRITERS.incrementAndGet()));
      Op create =
          tf.summary.createSummaryFileWriter(
              writer,
              tf.constant(logdir.toString()),
              tf.constant(MAX_QUEUE),
              tf.constant(FLUSH_MILLIS),
              tf.constant(".v2"));
      this.histogramStep = tf.withName("histogram_step").placeholder(TInt64.class);
      this.scalarSteps = tf.withName("scalar_steps").placeholder(TInt64.class);
      this.scalarTags = tf.withName("scalar_tags").placeholder(TString.class);
      this.scalarValues = tf.withName("scalar_values").placeholder(TFloat64.class);
      this.histogramTags = tf.withName("histogram_tags").placeholder(TString.class);
      this.flush = tf.summary.flushSummaryWriter(writer);
      this.closeWriter = tf.summary.closeSummaryWriter(writer);
      ConfigProto config =
          ConfigProto.newBuilder()
              .setIntraOpParallelismThreads(1)
              .setInterOpParallelismThreads(1)
              .build();
      this.session = new Session(graph, config);
      try {
        session.runner().addTarget(create).run().close();
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
    } catch (RuntimeException | Error e) {
      graph.close();
      throw e;
    }
  }

  /** The directory the event files go to. */
  public Path logdir() {
    return logdir;
  }

  /**
   * Operations in the writer's own graph (they are built once per slot and reused by every call).
   */
  synchronized int graphOperations() {
    int n = 0;
    for (var it = graph.operations(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }

  /** Writes one scalar. */
  public void scalar(long step, String tag, double value) {
    scalars(step, Map.of(tag, value));
  }

  /** Writes each entry as a scalar at {@code step}, in the map's order; null values are skipped. */
  public void scalars(long step, Map<String, ? extends Number> values) {
    List<String> tags = new ArrayList<>(values.size());
    double[] numbers = new double[values.size()];
    values.forEach(
        (tag, value) -> {
          if (value != null) {
            numbers[tags.size()] = value.doubleValue();
            tags.add(tag);
          }
        });
    long[] steps = new long[tags.size()];
    Arrays.fill(steps, step);
    scalars(steps, tags.toArray(String[]::new), Arrays.copyOf(numbers, tags.size()));
  }

  /**
   * Writes scalar i as ({@code steps[i]}, {@code tags[i]}, {@code values[i]}), in order: a trace of
   * many steps in a few session runs ({@value #SLOTS} scalars per run).
   */
  public synchronized void scalars(long[] steps, String[] tags, double[] values) {
    checkOpen();
    Preconditions.checkArgument(
        steps.length == tags.length && tags.length == values.length,
        "%s steps, %s tags and %s values: give one step and one tag per value",
        steps.length,
        tags.length,
        values.length);
    for (String tag : tags) {
      checkTag(tag);
    }
    for (int from = 0; from < tags.length; from += SLOTS) {
      int to = Math.min(tags.length, from + SLOTS);
      Op last = scalarSlot(to - from - 1);
      try (TInt64 s = TInt64.vectorOf(Arrays.copyOfRange(steps, from, to));
          TString t = TString.vectorOf(Arrays.copyOfRange(tags, from, to));
          TFloat64 v = TFloat64.vectorOf(Arrays.copyOfRange(values, from, to))) {
        session
            .runner()
            .feed(scalarSteps, s)
            .feed(scalarTags, t)
            .feed(scalarValues, v)
            .addTarget(last)
            .run()
            .close();
      }
    }
    afterCall();
  }

  /**
   * Writes a histogram of {@code values} (skipped with a warning if one is NaN or infinite, or none
   * is given).
   */
  public void histogram(long step, String tag, float[] values) {
    histograms(step, Map.of(tag, values));
  }

  /**
   * Writes a histogram of {@code values} in float64 (skipped with a warning if one is NaN or
   * infinite, or none is given).
   */
  public synchronized void histogram(long step, String tag, double[] values) {
    checkOpen();
    checkTag(tag);
    if (!writable(tag, step, values.length, nonFinite(values))) {
      afterCall();
      return;
    }
    Op slot = histogramSlot(doubleSlots, doubleValues, TFloat64.class, 0);
    try (TInt64 s = TInt64.scalarOf(step);
        TString t = TString.vectorOf(tag);
        TFloat64 v = TFloat64.vectorOf(values)) {
      session
          .runner()
          .feed(histogramStep, s)
          .feed(histogramTags, t)
          .feed(doubleValues.get(0), v)
          .addTarget(slot)
          .run()
          .close();
    }
    afterCall();
  }

  /**
   * Writes one histogram per entry at {@code step} in one session run. An entry with a NaN or
   * infinite value (TensorFlow's histogram rejects them), or with no values, is skipped with a
   * warning; the others are written.
   */
  public synchronized void histograms(long step, Map<String, float[]> values) {
    checkOpen();
    List<String> tags = new ArrayList<>(values.size());
    List<float[]> arrays = new ArrayList<>(values.size());
    values.forEach(
        (tag, array) -> {
          checkTag(tag);
          if (array == null) {
            return;
          }
          if (!writable(tag, step, array.length, nonFinite(array))) {
            return;
          }
          tags.add(tag);
          arrays.add(array);
        });
    for (int from = 0; from < tags.size(); from += SLOTS) {
      int to = Math.min(tags.size(), from + SLOTS);
      Op last = histogramSlot(floatSlots, floatValues, TFloat32.class, to - from - 1);
      List<Tensor> feeds = new ArrayList<>(to - from + 2);
      try {
        TInt64 s = TInt64.scalarOf(step);
        feeds.add(s);
        TString t = TString.vectorOf(tags.subList(from, to).toArray(String[]::new));
        feeds.add(t);
        Session.Runner runner = session.runner().feed(histogramStep, s).feed(histogramTags, t);
        for (int i = from; i < to; i++) {
          TFloat32 v = TFloat32.vectorOf(arrays.get(i));
          feeds.add(v);
          runner.feed(floatValues.get(i - from), v);
        }
        runner.addTarget(last).run().close();
      } finally {
        feeds.forEach(Tensor::close);
      }
    }
    afterCall();
  }

  /** Writes everything queued to the file (and syncs it). */
  public synchronized void flush() {
    checkOpen();
    session.runner().addTarget(flush).run().close();
  }

  /** Flushes and closes the event file, then the writer's session and graph. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      session.runner().addTarget(closeWriter).run().close();
    } finally {
      try {
        session.close();
      } finally {
        graph.close();
        OPEN.remove(logdir);
      }
    }
  }

  private void afterCall() {
    if (flushEveryCall) {
      session.runner().addTarget(flush).run().close();
    }
  }

  /**
   * Slot i writes element i of the step, tag and value vectors, after slot i-1: running slot n-1
   * writes n scalars in order.
   */
  private Op scalarSlot(int index) {
    while (scalarSlots.size() <= index) {
      int i = scalarSlots.size();
      Ops scope = i == 0 ? tf : tf.withControlDependencies(List.of(scalarSlots.get(i - 1)));
      Operand<TInt64> at = element(scalarSteps, i);
      Operand<TString> tag = element(scalarTags, i);
      Operand<TFloat64> value = element(scalarValues, i);
      scalarSlots.add(
          scope.withName("write_scalar_" + i).summary.writeScalarSummary(writer, at, tag, value));
    }
    return scalarSlots.get(index);
  }

  /**
   * Slot i writes a histogram of its own placeholder, tagged with element i of the tag vector,
   * after slot i-1.
   */
  private <T extends TNumber> Op histogramSlot(
      List<Op> slots, List<Placeholder<T>> placeholders, Class<T> type, int index) {
    String kind = type == TFloat32.class ? "float" : "double";
    while (slots.size() <= index) {
      int i = slots.size();
      Placeholder<T> values = tf.withName("histogram_" + kind + "_values_" + i).placeholder(type);
      Ops scope = i == 0 ? tf : tf.withControlDependencies(List.of(slots.get(i - 1)));
      Operand<TString> tag = element(histogramTags, i);
      placeholders.add(values);
      slots.add(
          scope
              .withName("write_histogram_" + kind + "_" + i)
              .summary
              .writeHistogramSummary(writer, histogramStep, tag, values));
    }
    return slots.get(index);
  }

  private <T extends TType> Operand<T> element(Operand<T> vector, int i) {
    return tf.gather(vector, tf.constant(i), tf.constant(0));
  }

  private void checkOpen() {
    Preconditions.checkState(!closed, "the TensorBoard writer for %s is closed", logdir);
  }

  private static void checkTag(String tag) {
    Preconditions.checkArgument(
        tag != null && !tag.isBlank(), "a TensorBoard tag must not be blank, got '%s'", tag);
  }

  private static boolean writable(String tag, long step, int size, int nonFinite) {
    if (size == 0) {
      LOG.warn("TensorBoard histogram '{}' at step {} skipped: no values", tag, step);
      return false;
    }
    if (nonFinite > 0) {
      LOG.warn(
          "TensorBoard histogram '{}' at step {} skipped: {} of {} values are NaN or infinite",
          tag,
          step,
          nonFinite,
          size);
      return false;
    }
    return true;
  }

  private static int nonFinite(double[] values) {
    int bad = 0;
    for (double v : values) {
      if (!Double.isFinite(v)) {
        bad++;
      }
    }
    return bad;
  }

  private static int nonFinite(float[] values) {
    int bad = 0;
    for (float v : values) {
      if (!Float.isFinite(v)) {
        bad++;
      }
    }
    return bad;
  }
}
