package dev.emergence.experiments;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** Sweep graph sizes and optimizers; speedup of the GNN method. Not built yet. */
@Command(name = "reparam-bench", description = "Sweep graph sizes and optimizers; speedup of the GNN method (not built yet)")
public final class ReparamBench implements Callable<Integer> {
  @Unmatched List<String> ignored;

  @Override
  public Integer call() {
    System.err.println("error: 'reparam-bench' is not built yet (issue #5)");
    return Emergence.Cli.NOT_BUILT;
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new ReparamBench(), args);
  }
}
