package dev.emergence.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

  @Test
  void aSecondRunIntoTheSameDirectoryIsRefusedAndTheFirstIsUntouched(@TempDir Path dir)
      throws IOException {
    Path out = dir.resolve("run");
    RunDirectory first = RunDirectory.create(out);
    first.start(Map.of("seed", 1));
    first.finish(Map.of("accuracy", 0.9));
    String result = Files.readString(out.resolve(RunDirectory.RESULT));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RunDirectory.create(out));
    assertEquals(
        "run directory "
            + out
            + " is not empty (config.json, result.json, state.json); pass --overwrite to"
            + " replace it, or choose another --out",
        e.getMessage());
    IllegalArgumentException resumable =
        assertThrows(
            IllegalArgumentException.class,
            () -> RunDirectory.open(out, RunDirectory.Reuse.REFUSE, true));
    assertTrue(
        resumable.getMessage().contains("--resume to continue that run"), resumable.getMessage());
    assertEquals(result, Files.readString(out.resolve(RunDirectory.RESULT)));
  }

  @Test
  void overwriteClearsTheEarlierRunSoNothingMixes(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("run");
    RunDirectory first = RunDirectory.create(out);
    first.start(Map.of("seed", 1));
    first.appendMetrics(Map.of("step", 1));
    first.finish(Map.of("accuracy", 0.9));
    RunDirectory second = RunDirectory.open(out, RunDirectory.Reuse.OVERWRITE, false);
    assertFalse(
        Files.exists(out.resolve(RunDirectory.RESULT)), "the old result is gone with its config");
    assertFalse(Files.exists(out.resolve(RunDirectory.METRICS)));
    second.start(Map.of("seed", 2));
    assertEquals("running", second.state().state());
    assertFalse(Files.exists(out.resolve(RunDirectory.RESULT)), "a running run has no result yet");
  }

  @Test
  void overwriteRefusesADirectoryThatHoldsNoRun(@TempDir Path dir) throws IOException {
    Path out = Files.createDirectory(dir.resolve("papers"));
    Files.writeString(out.resolve("thesis.tex"), "years of work");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RunDirectory.open(out, RunDirectory.Reuse.OVERWRITE, false));
    assertTrue(e.getMessage().contains("not a run directory"), e.getMessage());
    assertTrue(Files.exists(out.resolve("thesis.tex")));
  }

  @Test
  void resumeKeepsWhatIsThere(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("run");
    RunDirectory.create(out).start(Map.of("seed", 1));
    RunDirectory.open(out, RunDirectory.Reuse.RESUME, true);
    assertEquals(1, Json.read(out.resolve(RunDirectory.CONFIG)).get("seed").asInt());
  }

  @Test
  void stateMovesFromRunningToDoneOnlyWithAResult(@TempDir Path dir) {
    RunDirectory run = RunDirectory.create(dir.resolve("run"));
    run.start(Map.of("seed", 1));
    assertEquals("running", run.state().state());
    run.finish(Map.of("accuracy", 1.0));
    assertEquals("done", run.state().state());
    assertTrue(Files.exists(run.resolve(RunDirectory.RESULT)));
    RunDirectory failed = RunDirectory.create(dir.resolve("failed"));
    failed.start(Map.of());
    failed.diverged("loss is NaN", 120);
    assertEquals("diverged", failed.state().state());
    assertEquals(120L, failed.state().step());
    failed.fail("export failed: disk full");
    assertEquals("export failed: disk full", failed.state().reason());
  }

  @Test
  void configRecordsTheCommitAndWhetherTheTreeWasDirty(@TempDir Path dir) {
    RunDirectory run = RunDirectory.create(dir.resolve("run"));
    run.start(Map.of("seed", 3));
    JsonNode config = Json.read(run.resolve(RunDirectory.CONFIG));
    assertEquals(3, config.get("seed").asInt());
    assertNotNull(config.get("git_commit"));
    assertTrue(
        config.get("git_commit").asText().matches("[0-9a-f]{40}|unknown"), config.toString());
    assertTrue(config.get("git_dirty").isBoolean());
  }

  @Test
  void anUnwritableOrFileOutSaysSoInOneLine(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RunDirectory.create(file));
    assertEquals("--out " + file + " is a file; expected a directory", e.getMessage());
    IllegalArgumentException under =
        assertThrows(
            IllegalArgumentException.class, () -> RunDirectory.create(file.resolve("run")));
    assertTrue(
        under.getMessage().startsWith("cannot create run directory " + file.resolve("run") + ": "),
        under.getMessage());
    assertFalse(
        under.getMessage().endsWith(": " + file.resolve("run")),
        "says why, not just the path again");
  }

  @Test
  void runWritesConfigThenResultAndEndsDoneFailedOrDiverged(@TempDir Path dir) {
    RunDirectory done = RunDirectory.create(dir.resolve("done"));
    assertEquals(
        Map.of("accuracy", 0.5),
        done.run(
            Map.of("seed", 1),
            () -> {
              assertEquals("running", done.state().state());
              return Map.of("accuracy", 0.5);
            }));
    assertEquals("done", done.state().state());
    assertEquals(0.5, Json.read(done.resolve(RunDirectory.RESULT)).get("accuracy").asDouble());
    assertEquals(1, Json.read(done.resolve(RunDirectory.CONFIG)).get("seed").asInt());

    RunDirectory failed = RunDirectory.create(dir.resolve("failed"));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                failed.run(
                    Map.of(),
                    () -> {
                      throw new IllegalStateException("disk full\nat line 3");
                    }));
    assertEquals("disk full\nat line 3", e.getMessage());
    assertEquals("failed", failed.state().state());
    assertEquals("disk full", failed.state().reason());
    assertFalse(Files.exists(failed.resolve(RunDirectory.RESULT)));

    RunDirectory diverged = RunDirectory.create(dir.resolve("diverged"));
    assertThrows(
        RunDirectory.Diverged.class,
        () ->
            diverged.run(
                Map.of(),
                () -> {
                  throw new RunDirectory.Diverged("loss is NaN", 40);
                }));
    assertEquals("diverged", diverged.state().state());
    assertEquals(40L, diverged.state().step());

    RunDirectory stopped = RunDirectory.create(dir.resolve("stopped"));
    RunDirectory.Stopped signal =
        assertThrows(
            RunDirectory.Stopped.class,
            () ->
                stopped.run(
                    Map.of(),
                    () -> {
                      throw new RunDirectory.Stopped(25, "INT", 130);
                    }));
    assertEquals(130, signal.exitStatus());
    assertEquals("stopped", stopped.state().state());
    assertEquals(25L, stopped.state().step());
    assertEquals(
        "stopped by SIGINT at step 25; --resume continues the run", stopped.state().reason());
  }

  /**
   * Members of one body: each ends as the body ends it; a throwing body fails the ones still
   * running.
   */
  @Test
  void runEachEndsEveryRunItStarted(@TempDir Path dir) {
    RunDirectory a = RunDirectory.create(dir.resolve("a"));
    RunDirectory b = RunDirectory.create(dir.resolve("b"));
    RunDirectory c = RunDirectory.create(dir.resolve("c"));
    assertThrows(
        IllegalStateException.class,
        () ->
            RunDirectory.runEach(
                List.of(a, b, c),
                List.of(Map.of("m", 0), Map.of("m", 1), Map.of("m", 2)),
                () -> {
                  a.finish(Map.of("accuracy", 1.0));
                  b.diverged("loss is NaN", 7);
                  throw new IllegalStateException("export of c failed");
                }));
    assertEquals("done", a.state().state());
    assertEquals("diverged", b.state().state());
    assertEquals("failed", c.state().state());
    assertEquals("export of c failed", c.state().reason());
    assertEquals(2, Json.read(c.resolve(RunDirectory.CONFIG)).get("m").asInt());

    RunDirectory d = RunDirectory.create(dir.resolve("d"));
    RunDirectory e = RunDirectory.create(dir.resolve("e"));
    assertThrows(
        RunDirectory.Stopped.class,
        () ->
            RunDirectory.runEach(
                List.of(d, e),
                List.of(Map.of(), Map.of()),
                () -> {
                  d.finish(Map.of("accuracy", 1.0));
                  throw new RunDirectory.Stopped(12, "TERM", 143);
                }));
    assertEquals("done", d.state().state(), "a member that ended stays ended");
    assertEquals("stopped", e.state().state());
    assertEquals(12L, e.state().step());
  }

  @Test
  void keepMetricsUpToDropsTheLinesAfterAStep(@TempDir Path dir) throws IOException {
    RunDirectory run = RunDirectory.create(dir.resolve("run"));
    for (int step = 10; step <= 40; step += 10) {
      run.appendMetrics(Map.of("step", step));
    }
    run.keepMetricsUpTo(20);
    assertEquals(
        List.of("{\"step\":10}", "{\"step\":20}"),
        Files.readAllLines(run.resolve(RunDirectory.METRICS)));
  }
}
