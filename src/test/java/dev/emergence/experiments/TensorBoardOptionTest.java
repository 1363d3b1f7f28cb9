package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.report.tensorboard.ReparamLog;
import dev.emergence.report.tensorboard.TrainingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** TensorBoard output is on by default; --no-tensorboard gives logs that write nothing. */
class TensorBoardOptionTest {

  @Test
  void onByDefaultOffWithNoTensorboard(@TempDir Path run) {
    Train on = new Train();
    new CommandLine(on).parseArgs();
    assertTrue(on.common.tensorboard());
    Train off = new Train();
    CommandLine cli = new CommandLine(off);
    cli.parseArgs("--no-tensorboard");
    assertFalse(off.common.tensorboard());
    assertTrue(cli.getUsageMessage(CommandLine.Help.Ansi.OFF).contains("--no-tensorboard"));
    try (TrainingLog t = off.common.trainingLog(run);
        ReparamLog r = off.common.reparamLog(run, "gnn", 0)) {
      assertFalse(t.enabled());
      assertFalse(r.enabled());
    }
    assertFalse(Files.exists(run.resolve("tensorboard")));
    try (TrainingLog t = on.common.trainingLog(run, "d32-seed0")) {
      assertTrue(t.enabled());
      t.evaluation(1, 1.0, 1e-3, java.util.Map.of("overall", 0.5), 0.1, 10);
    }
    assertTrue(Files.isDirectory(run.resolve("tensorboard/d32-seed0")));
  }
}
