package dev.emergence.experiments;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** Optimize a graph problem directly and through a sparse-Hessian GNN. Not built yet. */
@Command(name = "reparam", description = "Optimize a graph problem directly and through a sparse-Hessian GNN (not built yet)")
public final class Reparam implements Callable<Integer> {
  @Unmatched List<String> ignored;

  @Override
  public Integer call() {
    System.err.println("error: 'reparam' is not built yet (issue #5)");
    return Emergence.Cli.NOT_BUILT;
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new Reparam(), args);
  }
}
