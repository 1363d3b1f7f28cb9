package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.report.Json;
import dev.emergence.report.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input ends in one line and status 2, before any work, and leaves nothing half-done. */
class BadInputTest {
  private static final List<String> TINY_TRAIN =
      List.of(
          "train",
          "--tasks",
          "MAX",
          "--depth",
          "1",
          "--d-model",
          "8",
          "--heads",
          "1",
          "--steps",
          "20",
          "--eval-every",
          "10",
          "--train-size",
          "300",
          "--no-progress");

  private static CliRun train(String... more) {
    List<String> args = new ArrayList<>(List.of(more));
    args.addAll(0, TINY_TRAIN);
    for (String size : List.of("--val-size", "--test-size")) {
      if (!args.contains(size)) {
        args.addAll(List.of(size, "10"));
      }
    }
    return CliRun.of(args.toArray(String[]::new));
  }

  private static void assertOneLine(CliRun r, String expected) {
    assertEquals(Emergence.Cli.BAD_INPUT, r.status(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertEquals(expected, r.err().strip());
  }

  @Test
  void usageErrorsAreOneLineWithTheCommandsHelp() {
    assertOneLine(
        CliRun.of("train", "--steps", "abc"),
        "error: Invalid value for option '--steps': 'abc' is not an int; see 'emergence train --help'");
    assertOneLine(
        CliRun.of("train", "--no-such-option"),
        "error: Unknown option: '--no-such-option'; see 'emergence train --help'");
    assertOneLine(
        CliRun.of("bench", "--device", "tpu"),
        "error: Invalid value for option '--device': expected one of [CPU, GPU] (case-insensitive) but was 'tpu';"
            + " see 'emergence bench --help'");
  }

  @Test
  void benchChecksItsNumbersFirst() {
    assertOneLine(CliRun.of("bench", "--steps", "0"), "error: --steps must be at least 1, got 0");
    assertOneLine(CliRun.of("bench", "--steps", "-1"), "error: --steps must be at least 1, got -1");
    assertOneLine(
        CliRun.of("bench", "--fetch-every", "0"), "error: --fetch-every must be at least 1, got 0");
  }

  @Test
  void lateChecksNoLongerLeaveARunDirectoryBehind(@TempDir Path dir) {
    Path out = dir.resolve("run");
    assertOneLine(
        train("--threads", "0", "--out", out.toString()),
        "error: intra-op threads must be at least 1, got 0");
    assertOneLine(
        train("--test-size", "0", "--out", out.toString()),
        "error: --test-size must be at least 1 per operator, got 0");
    assertOneLine(
        train("--val-size", "0", "--target", "0.9", "--out", out.toString()),
        "error: --target 0.9 stops early on validation accuracy, but --val-size is 0: give validation examples or drop --target");
    assertFalse(Files.exists(out), "nothing is written when the input is bad");
  }

  @Test
  void aSecondRunIntoOneDirectoryIsRefusedAndTheFirstResultStays(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("run");
    CliRun first = train("--out", out.toString());
    assertEquals(0, first.status(), first.err());
    String result = Files.readString(out.resolve(RunDirectory.RESULT));
    assertEquals("done", Json.read(out.resolve(RunDirectory.STATE)).get("state").asText());
    CliRun second = train("--seed", "5", "--out", out.toString());
    assertEquals(Emergence.Cli.BAD_INPUT, second.status());
    assertTrue(second.err().contains("is not empty"), second.err());
    assertEquals(result, Files.readString(out.resolve(RunDirectory.RESULT)));
    CliRun replaced = train("--seed", "5", "--out", out.toString(), "--overwrite");
    assertEquals(0, replaced.status(), replaced.err());
    assertEquals(5, Json.read(out.resolve(RunDirectory.CONFIG)).get("seed").asInt());
  }

  @Test
  void aDivergedRunSaysSoInItsState(@TempDir Path dir) {
    Path out = dir.resolve("run");
    CliRun r = train("--lr", "1e9", "--out", out.toString());
    assertEquals(1, r.status(), r.err());
    assertTrue(r.err().strip().startsWith("error: training loss became NaN at step"), r.err());
    var state = Json.read(out.resolve(RunDirectory.STATE));
    assertEquals("diverged", state.get("state").asText());
    assertFalse(Files.exists(out.resolve(RunDirectory.RESULT)));
  }

  @Test
  void anExportIsNeverReplacedWithoutOverwrite(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("model");
    assertEquals(
        0, train("--out", dir.resolve("a").toString(), "--export", model.toString()).status());
    String pb =
        Files.readString(
            model.resolve("saved_model.pb"), java.nio.charset.StandardCharsets.ISO_8859_1);
    assertOneLine(
        train("--out", dir.resolve("b").toString(), "--export", model.toString()),
        "error: "
            + model
            + " already exists; pass --overwrite to replace it, or choose another path");
    assertFalse(Files.exists(dir.resolve("b")), "refused before the run started");
    assertEquals(
        pb,
        Files.readString(
            model.resolve("saved_model.pb"), java.nio.charset.StandardCharsets.ISO_8859_1));
  }
}
