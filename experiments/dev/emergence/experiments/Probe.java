package dev.emergence.experiments;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** Probe a SavedModel: embeddings, parity, attention vs MLP reliance. Not built yet. */
@Command(name = "probe", description = "Probe a SavedModel: embeddings, parity, attention vs MLP reliance (not built yet)")
public final class Probe implements Callable<Integer> {
  @Unmatched List<String> ignored;

  @Override
  public Integer call() {
    System.err.println("error: 'probe' is not built yet (issue #7)");
    return Emergence.Cli.NOT_BUILT;
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new Probe(), args);
  }
}
