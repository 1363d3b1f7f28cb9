package dev.emergence.report.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run killed (SIGKILL) after a flush leaves an event file readable up to that flush. */
class KilledWriterTest {

  /**
   * The child: writes steps 1-3 and flushes, marks that, writes steps 4-6 without a flush, and
   * waits to be killed.
   */
  public static void main(String[] args) throws Exception {
    Path logdir = Path.of(args[0]);
    Path flushed = Path.of(args[1]);
    TensorBoard tb = TensorBoard.open(logdir, false);
    for (int step = 1; step <= 3; step++) {
      tb.scalars(step, Map.of("loss", 1.0 / step));
      tb.histograms(step, Map.of("weights/w", new float[] {step, 2 * step}));
    }
    tb.flush();
    Files.writeString(flushed, "flushed");
    for (int step = 4; step <= 6; step++) {
      tb.scalars(step, Map.of("loss", 1.0 / step));
    }
    Files.writeString(flushed, "written");
    Thread.sleep(120_000);
    System.exit(3); // never closed: the parent kills us first
  }

  @Test
  void aKilledWritersFileIsReadableUpToItsLastFlush(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path logdir = dir.resolve("tensorboard");
    Path marker = dir.resolve("marker");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            KilledWriterTest.class.getName(),
            logdir.toString(),
            marker.toString());
    Process child =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!(Files.exists(marker) && Files.readString(marker).equals("written"))) {
        assertTrue(
            child.isAlive(), () -> "the child ended early: " + read(dir.resolve("child.log")));
        assertTrue(
            System.nanoTime() < deadline,
            () -> "the child never wrote: " + read(dir.resolve("child.log")));
        Thread.sleep(50);
      }
    } finally {
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }
    assertTrue(
        child.exitValue() != 0 && child.exitValue() != 3,
        "killed, not exited: " + child.exitValue());

    EventFiles.Log log = EventFiles.read(logdir);
    assertEquals(1, log.files().size());
    assertFalse(log.truncated());
    assertEquals("brain.Event:2", log.fileVersion());
    // the flushed steps are there; the unflushed ones died with the process's buffers
    assertEquals(
        List.of(1L, 2L, 3L), log.scalars("loss").stream().map(EventFiles.Scalar::step).toList());
    assertEquals(1.0 / 3, log.scalars("loss").get(2).value(), 1e-7);
    assertEquals(
        List.of(1L, 2L, 3L),
        log.histograms("weights/w").stream().map(EventFiles.Histogram::step).toList());
    assertEquals(9, log.histograms("weights/w").get(2).histogram().getSum(), 0);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
