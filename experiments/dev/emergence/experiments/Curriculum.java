package dev.emergence.experiments;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** Pretrain on one mix, finetune on another. Not built yet. */
@Command(name = "curriculum", description = "Pretrain on one mix, finetune on another (not built yet)")
public final class Curriculum implements Callable<Integer> {
  @Unmatched List<String> ignored;

  @Override
  public Integer call() {
    System.err.println("error: 'curriculum' is not built yet (issue #6)");
    return Emergence.Cli.NOT_BUILT;
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new Curriculum(), args);
  }
}
