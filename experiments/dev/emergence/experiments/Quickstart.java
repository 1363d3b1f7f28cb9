package dev.emergence.experiments;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** The main job: a short end-to-end run. Not built yet. */
@Command(name = "quickstart", description = "The main job: a short end-to-end run (not built yet)")
public final class Quickstart implements Callable<Integer> {
  @Unmatched List<String> ignored;

  @Override
  public Integer call() {
    System.err.println("error: 'quickstart' is not built yet (issue #2)");
    return Emergence.Cli.NOT_BUILT;
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new Quickstart(), args);
  }
}
