package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emergence.capacity.ResultsComparison;
import dev.emergence.capacity.SweepRun;
import dev.emergence.report.Json;
import dev.emergence.report.RunDirectory;
import dev.emergence.testing.ChildJvm;
import dev.emergence.train.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real signal to a child JVM in the middle of training: it saves, records {@code stopped}, exits
 * with the conventional status, and {@code --resume} ends exactly where an unbroken run ends. The
 * signal is sent once a checkpoint exists (no timing); the runs are long enough (hundreds of steps
 * after that first checkpoint) that the signal lands in training.
 */
class StopAndResumeTest {
  /** A failure guard only: no test waits this long unless something is broken. */
  private static final long TIMEOUT_MS = TimeUnit.MINUTES.toMillis(4);

  private static final List<String> SWEEP =
      List.of(
          "sweep",
          "--mixes",
          "MAX;MAX,MIN",
          "--d-models",
          "4,8",
          "--seeds",
          "2",
          "--eval-every",
          "10",
          "--warmup",
          "5",
          "--train-size",
          "400",
          "--val-size",
          "10",
          "--test-size",
          "20",
          "--steps",
          "400",
          "--checkpoint-every",
          "10");

  private static final List<String> TRAIN =
      List.of(
          "train",
          "--tasks",
          "MAX",
          "--seeds",
          "4",
          "--d-model",
          "8",
          "--steps",
          "400",
          "--eval-every",
          "20",
          "--batch",
          "16",
          "--train-size",
          "400",
          "--val-size",
          "10",
          "--test-size",
          "20",
          "--checkpoint-every",
          "10",
          "--no-progress");

  @Test
  void aSweepStoppedBySigtermResumesToTheUnbrokenResult(@TempDir Path dir) throws Exception {
    Path unbroken = unbroken(SWEEP, dir);
    Path out = dir.resolve("stopped");
    Path log = dir.resolve("child.log");
    Process child = startUntilCheckpoint(SWEEP, out, "checkpoints", log);
    child.destroy(); // SIGTERM
    assertEquals(143, awaitExit(child, log), Files.readString(log));
    assertEquals("stopped", state(out));
    try (Stream<Path> checkpoints = Files.walk(out.resolve("checkpoints"))) {
      assertTrue(
          checkpoints.anyMatch(p -> p.getFileName().toString().equals(Checkpoints.FILE)),
          "the stack in training left its checkpoint");
    }

    CliRun resumed = CliRun.of(with(SWEEP, "--out", out.toString(), "--resume"));
    assertEquals(0, resumed.status(), resumed.err());
    assertEquals("done", state(out));
    assertEquals(
        List.of(),
        ResultsComparison.differences(
            unbroken.resolve(SweepRun.RESULTS), out.resolve(SweepRun.RESULTS)));
    assertEquals(
        Files.readString(unbroken.resolve(SweepRun.CURVES)),
        Files.readString(out.resolve(SweepRun.CURVES)),
        "every curve point and so every step to target as in the unbroken run");
    assertTrue(
        !Files.exists(out.resolve("checkpoints")) || isEmpty(out.resolve("checkpoints")),
        "finished stacks drop their checkpoints");
  }

  @Test
  void aStackTrainingStoppedBySigintResumesToTheUnbrokenResult(@TempDir Path dir) throws Exception {
    Path unbroken = unbroken(TRAIN, dir);
    Path out = dir.resolve("stopped");
    Path log = dir.resolve("child.log");
    Process child = startUntilCheckpoint(TRAIN, out, "checkpoint", log);
    Process kill =
        new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).inheritIO().start();
    assertEquals(0, kill.waitFor());
    assertEquals(130, awaitExit(child, log), Files.readString(log));
    assertEquals("stopped", state(out));
    for (int seed = 0; seed < 4; seed++) {
      assertEquals("stopped", state(out.resolve("seed-" + seed)));
    }

    CliRun resumed = CliRun.of(with(TRAIN, "--out", out.toString(), "--resume"));
    assertEquals(0, resumed.status(), resumed.err());
    assertEquals("done", state(out));
    for (int seed = 0; seed < 4; seed++) {
      String member = "seed-" + seed;
      assertEquals("done", state(out.resolve(member)));
      assertEquals(
          withoutTimes(unbroken.resolve(member)),
          withoutTimes(out.resolve(member)),
          member + "'s result.json");
    }
  }

  private static String[] with(List<String> args, String... more) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static String state(Path run) {
    return Json.read(run.resolve(RunDirectory.STATE), RunDirectory.State.class).state();
  }

  private static JsonNode withoutTimes(Path run) {
    ObjectNode result = (ObjectNode) Json.read(run.resolve(RunDirectory.RESULT));
    result.remove(List.of("wall_s", "train_s", "tokens_per_s"));
    return result;
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.findAny().isEmpty();
    }
  }

  /** The command run whole, in-process, into {@code dir/unbroken}. */
  private static Path unbroken(List<String> command, Path dir) {
    Path unbroken = dir.resolve("unbroken");
    CliRun full = CliRun.of(with(command, "--out", unbroken.toString()));
    assertEquals(0, full.status(), full.err());
    return unbroken;
  }

  /**
   * The command in a child JVM writing into {@code out}, once a checkpoint exists under {@code
   * out/<checkpoints>}.
   */
  private static Process startUntilCheckpoint(
      List<String> command, Path out, String checkpoints, Path log) throws Exception {
    Process child =
        ChildJvm.start(
            Emergence.class, List.of(), List.of(with(command, "--out", out.toString())), log);
    awaitFile(
        child,
        out.resolve(checkpoints),
        p -> p.getFileName().toString().equals(Checkpoints.FILE),
        log);
    return child;
  }

  /** Waits until a file under {@code root} matches (the child still running), polling. */
  private static void awaitFile(Process child, Path root, Predicate<Path> match, Path log)
      throws Exception {
    long deadline = System.currentTimeMillis() + TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      if (Files.isDirectory(root)) {
        try (Stream<Path> files = Files.walk(root)) {
          if (files.anyMatch(match)) {
            return;
          }
        } catch (IOException | java.io.UncheckedIOException e) {
          // a checkpoint being replaced under the walk: look again
        }
      }
      if (!child.isAlive()) {
        throw new AssertionError(
            "the child ended ("
                + child.exitValue()
                + ") before a checkpoint appeared:\n"
                + Files.readString(log));
      }
      Thread.sleep(20);
    }
    child.destroyForcibly().waitFor();
    throw new AssertionError(
        "no checkpoint under " + root + " within the guard:\n" + Files.readString(log));
  }

  private static int awaitExit(Process child, Path log) throws Exception {
    if (!child.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
      child.destroyForcibly().waitFor();
      throw new AssertionError(
          "the child did not stop within the guard:\n" + Files.readString(log));
    }
    return child.exitValue();
  }
}
