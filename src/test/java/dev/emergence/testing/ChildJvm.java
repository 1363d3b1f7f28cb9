package dev.emergence.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the test class path in a fresh JVM, killed if it outlives its timeout. */
public final class ChildJvm {
  private ChildJvm() {}

  /** What the child printed (stdout and stderr together) and how it ended. */
  public record Outcome(int exitCode, String output) {}

  /**
   * Starts {@code main} in a fresh JVM, its stdout and stderr together into {@code log}; the caller
   * waits for it.
   */
  public static Process start(Class<?> main, List<String> jvmOptions, List<String> args, Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(args);
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a child JVM for " + main.getName(), e);
    }
  }

  public static Outcome run(
      Class<?> main, List<String> jvmOptions, List<String> args, Duration timeout) {
    try {
      Path log = Files.createTempFile("child-jvm", ".log");
      try {
        Process child = start(main, jvmOptions, args, log);
        if (!child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          child.destroyForcibly().waitFor();
          throw new AssertionError(
              main.getSimpleName()
                  + " did not finish within "
                  + timeout
                  + ":\n"
                  + Files.readString(log));
        }
        return new Outcome(child.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a child JVM for " + main.getName(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + main.getName(), e);
    }
  }
}
