package dev.emergence.experiments;

import dev.emergence.session.Device;
import dev.emergence.session.SessionConfig;
import java.nio.file.Path;
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
      description = "cpu or gpu; gpu falls back to the CPU with a warning (default: ${DEFAULT-VALUE}).")
  public Device device = Device.CPU;

  @Option(names = "--out", description = "Run directory for config, metrics and results.")
  public Path out;

  public SessionConfig sessionConfig() {
    return new SessionConfig(threads, threads, device);
  }

  /** The run directory: --out if given, else runs/NAME-TIMESTAMP. */
  public Path outOr(String name) {
    return out != null
        ? out
        : Path.of("runs", name + "-" + java.time.LocalDateTime.now().toString().replace(':', '-'));
  }
}
