package dev.emergence.experiments;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** ListOps expressions: sample datasets, evaluate one expression. Not built yet. */
@Command(name = "listops", description = "ListOps expressions: sample datasets, evaluate one expression (not built yet)")
public final class ListOpsCommand implements Callable<Integer> {
  @Unmatched List<String> ignored;

  @Override
  public Integer call() {
    System.err.println("error: 'listops' is not built yet (issue #3)");
    return Emergence.Cli.NOT_BUILT;
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new ListOpsCommand(), args);
  }
}
