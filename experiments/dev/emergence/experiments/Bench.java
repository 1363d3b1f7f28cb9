package dev.emergence.experiments;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** Training throughput of fixed transformer shapes, as JSON. Not built yet. */
@Command(name = "bench", description = "Training throughput of fixed transformer shapes, as JSON (not built yet)")
public final class Bench implements Callable<Integer> {
  @Unmatched List<String> ignored;

  @Override
  public Integer call() {
    System.err.println("error: 'bench' is not built yet (issue #4)");
    return Emergence.Cli.NOT_BUILT;
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new Bench(), args);
  }
}
