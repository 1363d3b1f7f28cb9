package dev.emergence.experiments;

import dev.emergence.report.RunDirectory;
import dev.emergence.report.tensorboard.ReparamLog;
import dev.emergence.report.tensorboard.TrainingLog;
import dev.emergence.session.Device;
import dev.emergence.session.SessionConfig;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import picocli.CommandLine.Option;

/** Options every experiment takes: mix into a command with {@code @Mixin CommonOptions common;}. */
public final class CommonOptions {
  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  public long seed = 0;

  @Option(
      names = "--threads",
      description = "TensorFlow intra-op and inter-op threads (default: ${DEFAULT-VALUE}).")
  public int threads = 1;

  @Option(
      names = "--device",
      description =
          "cpu or gpu; gpu falls back to the CPU with a warning (default: ${DEFAULT-VALUE}).")
  public Device device = Device.CPU;

  @Option(
      names = "--out",
      description = "Run directory for config, metrics and results (must be new or empty).")
  public Path out;

  @Option(
      names = "--overwrite",
      description = "Replace the run (and SavedModel) an earlier run left at --out (and --export).")
  public boolean overwrite;

  @Option(
      names = "--no-tensorboard",
      description = "No TensorBoard event files (default: written to <out>/tensorboard/).")
  public boolean noTensorboard;

  /** Whether runs write TensorBoard event files (not --no-tensorboard). */
  public boolean tensorboard() {
    return !noTensorboard;
  }

  /**
   * The training run's TensorBoard log in RUN/tensorboard, or one that writes nothing with
   * --no-tensorboard.
   */
  public TrainingLog trainingLog(Path runRoot) {
    return TrainingLog.open(runRoot, tensorboard());
  }

  /**
   * One model's TensorBoard log in RUN/tensorboard/SUBRUN (a sweep cell), or nothing with
   * --no-tensorboard.
   */
  public TrainingLog trainingLog(Path runRoot, String subRun) {
    return TrainingLog.open(runRoot, subRun, tensorboard());
  }

  /**
   * One method and seed's TensorBoard log in RUN/tensorboard/METHOD-seedN, or nothing with
   * --no-tensorboard.
   */
  public ReparamLog reparamLog(Path runRoot, String method, long seed) {
    return ReparamLog.open(runRoot, method, seed, tensorboard());
  }

  public SessionConfig sessionConfig() {
    return new SessionConfig(threads, threads, device);
  }

  /** The run directory: --out if given, else runs/NAME-TIMESTAMP. */
  public Path outOr(String name) {
    return out != null
        ? out
        : Path.of(
            "runs",
            name + "-" + LocalDateTime.now(ZoneId.systemDefault()).toString().replace(':', '-'));
  }

  /**
   * Opens the run directory ({@link #outOr}): a new or empty one, or the earlier run's with {@code
   * --overwrite}, or with {@code resume} (for commands that can continue a run) as it is.
   */
  public RunDirectory runDirectory(String name, boolean resumable, boolean resume) {
    RunDirectory.Reuse reuse =
        resume
            ? RunDirectory.Reuse.RESUME
            : overwrite ? RunDirectory.Reuse.OVERWRITE : RunDirectory.Reuse.REFUSE;
    return RunDirectory.open(outOr(name), reuse, resumable);
  }
}
