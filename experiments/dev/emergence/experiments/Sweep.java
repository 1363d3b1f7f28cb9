package dev.emergence.experiments;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** Sweep mixes, sizes and seeds; find learning thresholds. Not built yet. */
@Command(name = "sweep", description = "Sweep mixes, sizes and seeds; find learning thresholds (not built yet)")
public final class Sweep implements Callable<Integer> {
  @Unmatched List<String> ignored;

  @Override
  public Integer call() {
    System.err.println("error: 'sweep' is not built yet (issue #6)");
    return Emergence.Cli.NOT_BUILT;
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new Sweep(), args);
  }
}
