package dev.emergence.experiments;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** A planned command that is not built yet: it says so and exits with status 3, whatever its arguments. */
@Command
final class NotBuilt implements Callable<Integer> {
  @Unmatched List<String> ignored;
  @Spec CommandSpec spec;

  static CommandLine command(String description) {
    CommandLine command = new CommandLine(new NotBuilt());
    command.getCommandSpec().usageMessage().description(description + " (not built yet)");
    return command;
  }

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("error: '" + spec.name() + "' is not built yet");
    return Emergence.Cli.NOT_BUILT;
  }
}
