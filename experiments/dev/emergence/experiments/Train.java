package dev.emergence.experiments;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** Train a small transformer on a ListOps mix. Not built yet. */
@Command(name = "train", description = "Train a small transformer on a ListOps mix (not built yet)")
public final class Train implements Callable<Integer> {
  @Unmatched List<String> ignored;

  @Override
  public Integer call() {
    System.err.println("error: 'train' is not built yet (issue #4)");
    return Emergence.Cli.NOT_BUILT;
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new Train(), args);
  }
}
