package dev.emergence.report.tensorboard;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A training run's TensorBoard log, for the train, sweep and curriculum commands: call it at
 * evaluations only, outside the timed training step.
 *
 * <p>Tags, all against the training step: {@code loss} (mean training loss since the last
 * evaluation), {@code learning_rate}, {@code val_accuracy/overall} and {@code val_accuracy/OP} per
 * operator, {@code tokens_per_s}, {@code elapsed_s}; at the end {@code test_accuracy/...};
 * histograms {@code weights/VARIABLE} (the variable's name, as {@code h0.mlp.w1}). Every call is
 * flushed, so a killed run's curves are readable up to its last evaluation.
 *
 * <p>A failing write (a full disk, say) never stops training: it is logged once as a warning and
 * the log stops writing. {@link #disabled()} (for {@code --no-tensorboard}) does nothing at all.
 */
public final class TrainingLog implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(TrainingLog.class);

  private TensorBoard tb;

  private TrainingLog(TensorBoard tb) {
    this.tb = tb;
  }

  /** Writes to {@code RUN/tensorboard}, or nothing when not {@code enabled}. */
  public static TrainingLog open(Path runRoot, boolean enabled) {
    return enabled ? new TrainingLog(TensorBoard.forRun(runRoot)) : disabled();
  }

  /**
   * Writes to {@code RUN/tensorboard/SUBRUN} (one sub-run per model of a sweep: TensorBoard
   * overlays them), or nothing when not {@code enabled}.
   */
  public static TrainingLog open(Path runRoot, String subRun, boolean enabled) {
    return enabled ? new TrainingLog(TensorBoard.forRun(runRoot, subRun)) : disabled();
  }

  /** A log that writes nothing. */
  public static TrainingLog disabled() {
    return new TrainingLog(null);
  }

  /** Whether this log writes (not disabled, no write has failed, not closed). */
  public boolean enabled() {
    return tb != null;
  }

  /** The writer, or null when disabled (for tests). */
  TensorBoard writer() {
    return tb;
  }

  /** The directory of the event files, or null when disabled. */
  public Path logdir() {
    return tb == null ? null : tb.logdir();
  }

  /**
   * One evaluation's metrics, as a line of {@code metrics.jsonl} holds them.
   *
   * @param loss mean training loss since the last evaluation, or null if none was fetched
   * @param valAccuracy accuracy by operator and "overall"
   */
  public void evaluation(
      long step,
      Double loss,
      double lr,
      Map<String, Double> valAccuracy,
      double elapsedS,
      double tokensPerS) {
    Map<String, Double> scalars = new LinkedHashMap<>();
    scalars.put("loss", loss);
    scalars.put("learning_rate", lr);
    valAccuracy.forEach((op, accuracy) -> scalars.put("val_accuracy/" + op, accuracy));
    scalars.put("elapsed_s", elapsedS);
    scalars.put("tokens_per_s", tokensPerS);
    write(step, scalars);
  }

  /**
   * Final test accuracies (by operator and "overall") at the last step, as {@code
   * test_accuracy/...}.
   */
  public void test(long step, Map<String, Double> testAccuracy) {
    Map<String, Double> scalars = new LinkedHashMap<>();
    testAccuracy.forEach((op, accuracy) -> scalars.put("test_accuracy/" + op, accuracy));
    write(step, scalars);
  }

  /** Histograms {@code weights/NAME} of the given weights. */
  public void weights(long step, Map<String, float[]> weights) {
    if (tb == null) {
      return;
    }
    Map<String, float[]> tagged = new LinkedHashMap<>();
    weights.forEach((name, values) -> tagged.put("weights/" + name, values));
    try {
      tb.histograms(step, tagged);
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  /**
   * The digit embeddings for TensorBoard's projector, written beside the event files (so the run
   * shows them): rows {@code firstNumber ..} of a token table {@code [vocab, width]}; see {@link
   * Projector#digits(Path, float[], int, int, int)}.
   */
  public void digits(float[] tokenTable, int width, int firstNumber, int modulus) {
    if (tb == null) {
      return;
    }
    try {
      Projector.digits(tb.logdir(), tokenTable, width, firstNumber, modulus);
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  /** Closes the event file (flushed). */
  @Override
  public void close() {
    if (tb != null) {
      try {
        tb.close();
      } catch (RuntimeException e) {
        LOG.warn("TensorBoard: closing {} failed: {}", tb.logdir(), e.toString());
      } finally {
        tb = null;
      }
    }
  }

  private void write(long step, Map<String, Double> scalars) {
    if (tb == null) {
      return;
    }
    try {
      tb.scalars(step, scalars);
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  private void fail(RuntimeException e) {
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
  }
}
