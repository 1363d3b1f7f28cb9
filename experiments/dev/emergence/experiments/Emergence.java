package dev.emergence.experiments;

import dev.emergence.report.RunDirectory;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line: every experiment is a subcommand here and also a main class of its own. With no
 * argument it runs {@code quickstart}.
 */
@Command(
    name = "emergence",
    mixinStandardHelpOptions = true,
    version = "emergence 0.1.0",
    description =
        "ListOps capacity studies and neural reparametrization on TensorFlow Java graphs.",
    subcommands = {
      Quickstart.class,
      ListOpsCommand.class,
      Train.class,
      Predict.class,
      Reparam.class,
      ReparamBench.class,
      Bench.class,
      Sweep.class,
      Analyze.class,
      CurriculumCommand.class,
    })
public final class Emergence implements Callable<Integer> {

  @Override
  public Integer call() {
    return Cli.commandLine(new Quickstart()).execute();
  }

  public static void main(String[] args) {
    System.exit(Cli.execute(commandLine(), args));
  }

  /** The whole command line. */
  static CommandLine commandLine() {
    return Cli.commandLine(new Emergence()).addSubcommand("probe", Cli.commandLine(new Probe()));
  }

  /**
   * Shared construction of picocli command lines: one-line errors and exit codes for every command.
   */
  public static final class Cli {
    /** Exit status for bad input (usage errors, malformed data, invalid configurations). */
    public static final int BAD_INPUT = 2;

    private Cli() {}

    public static CommandLine commandLine(Object command) {
      CommandLine cli = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true);
      cli.setParameterExceptionHandler(
          (e, args) -> {
            String name = e.getCommandLine().getCommandSpec().qualifiedName();
            e.getCommandLine()
                .getErr()
                .println("error: " + oneLine(e) + "; see '" + name + " --help'");
            return BAD_INPUT;
          });
      cli.setExecutionExceptionHandler(
          (e, line, parsed) -> {
            if (e instanceof RunDirectory.Stopped stopped) {
              line.getErr().println(stopped.getMessage());
              return stopped.exitStatus();
            }
            LogManager.getLogger(Emergence.class).debug("stack trace", e);
            line.getErr().println("error: " + oneLine(e));
            return e instanceof IllegalArgumentException ? BAD_INPUT : 1;
          });
      return cli;
    }

    /** Runs a command as a main class would: parse, execute, exit with its status. */
    public static void run(Object command, String[] args) {
      System.exit(execute(commandLine(command), args));
    }

    /**
     * Executes a command line; an {@link OutOfMemoryError} (which picocli rethrows) ends in one
     * line with the heap hint instead of a JVM stack trace.
     */
    public static int execute(CommandLine cli, String[] args) {
      try {
        return cli.execute(args);
      } catch (OutOfMemoryError e) {
        System.err.println(
            "error: out of memory ("
                + oneLine(e)
                + "); give the JVM more heap, e.g."
                + " EMERGENCE_JAVA_OPTS=-Xmx16g bin/emergence ... (or java -Xmx16g -jar target/emergence.jar ...)");
        return 1;
      }
    }

    /** The first line of an exception's message (or its class name when it has none). */
    public static String oneLine(Throwable e) {
      return RunDirectory.oneLine(e);
    }
  }
}
