package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.report.tensorboard.EventFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands write TensorBoard event files by default, where the README says. */
class TensorBoardCommandsTest {
  private static final String[] TINY = {
    "--tasks",
    "MAX",
    "--depth",
    "1",
    "--d-model",
    "8",
    "--heads",
    "1",
    "--steps",
    "30",
    "--eval-every",
    "10",
    "--train-size",
    "300",
    "--val-size",
    "10",
    "--test-size",
    "10",
    "--no-progress"
  };

  private static CliRun train(Path out, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("train"));
    args.addAll(List.of(TINY));
    args.addAll(List.of(more));
    args.addAll(List.of("--out", out.toString()));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void trainLogsScalarsWeightsTestAccuracyAndDigitEmbeddings(@TempDir Path dir) {
    Path out = dir.resolve("run");
    assertEquals(0, train(out).status());
    EventFiles.Log log = EventFiles.read(out.resolve("tensorboard"));
    assertEquals(
        List.of(10L, 20L, 30L), log.scalars("loss").stream().map(EventFiles.Scalar::step).toList());
    assertTrue(
        log.tags()
            .containsAll(
                List.of(
                    "learning_rate",
                    "val_accuracy/MAX",
                    "tokens_per_s",
                    "test_accuracy/overall",
                    "weights/wte")),
        log.tags().toString());
    assertTrue(Files.isRegularFile(out.resolve("tensorboard").resolve("projector_config.pbtxt")));
  }

  @Test
  void stackedMembersAndSweepCellsAreRunsOfTheirOwn(@TempDir Path dir) {
    Path stack = dir.resolve("stack");
    assertEquals(0, train(stack, "--seeds", "2").status());
    for (String member : List.of("seed-0", "seed-1")) {
      assertEquals(
          3,
          EventFiles.read(stack.resolve(member).resolve("tensorboard")).scalars("loss").size(),
          member);
    }
    Path sweep = dir.resolve("sweep");
    CliRun r =
        CliRun.of(
            "sweep",
            "--mixes",
            "MAX",
            "--d-models",
            "4",
            "--seeds",
            "1",
            "--steps",
            "20",
            "--eval-every",
            "10",
            "--train-size",
            "300",
            "--val-size",
            "10",
            "--test-size",
            "10",
            "--out",
            sweep.toString());
    assertEquals(0, r.status(), r.err());
    Path cell = sweep.resolve("tensorboard").resolve("MAX_depth1_mod10_L1_loop1_h1_d4_seed0");
    assertTrue(EventFiles.read(cell).tags().contains("val_accuracy/MAX"));
  }

  @Test
  void noTensorboardWritesNone(@TempDir Path dir) {
    Path out = dir.resolve("run");
    assertEquals(0, train(out, "--no-tensorboard").status());
    assertFalse(Files.exists(out.resolve("tensorboard")));
  }
}
