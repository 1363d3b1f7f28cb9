package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.Mix;
import dev.emergence.nn.GptConfig;
import dev.emergence.train.ListOpsTask;
import dev.emergence.train.TrainConfig;
import dev.emergence.train.Trainer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line's defaults are the library's: one place for each. */
class OptionDefaultsTest {

  @Test
  void trainWithNoOptionsUsesTheConfigDefaults() {
    Train train = new Train();
    CommandLine cli = new CommandLine(train);
    cli.parseArgs();
    assertEquals(TrainConfig.defaults(), train.trainConfig());
    assertEquals(Trainer.defaultModel(21, 53), train.shape.config(21, 53));
    assertEquals(GeneratorConfig.defaults(Mix.parse("SUM")), train.task.config());
    assertEquals(ListOpsTask.DEFAULT_SIZES, train.sizes());
    String help = cli.getUsageMessage(CommandLine.Help.Ansi.OFF);
    assertTrue(help.contains("Width of the residual stream (default: 32)"), help);
    assertTrue(help.contains("AdamW beta2 (default: 0.98)"), help);
  }

  @Test
  void benchWithNoOptionsRunsItsDocumentedShape() {
    Bench bench = new Bench();
    CommandLine cli = new CommandLine(bench);
    cli.parseArgs();
    GptConfig shape = bench.shape.config(bench.vocab, bench.seq);
    assertEquals(GptConfig.of(32, 64, 2, 4, 64), shape);
    assertEquals(106_240, shape.parameterCount(), "the README's bench shape");
    assertTrue(
        cli.getUsageMessage(CommandLine.Help.Ansi.OFF)
            .contains("Width of the residual stream (default: 64)"));
  }

  @Test
  void shapeOptionsOverrideTheCommandDefaults() {
    Bench bench = new Bench();
    new CommandLine(bench)
        .parseArgs("--d-model", "16", "--untied", "--context", "80", "--mlp-ratio", "2");
    assertEquals(
        GptConfig.of(32, 80, 2, 4, 16).withTied(false).withMlpRatio(2),
        bench.shape.config(bench.vocab, bench.seq));
  }

  @Test
  void opsIsAnAliasOfTasks() {
    Train train = new Train();
    new CommandLine(train).parseArgs("--ops", "MAX,MED");
    assertEquals(Mix.parse("MAX,MED"), train.task.config().mix());
    CliRun ops = CliRun.of("listops", "sample", "--ops", "SUM,MAX", "--n", "100", "--seed", "7");
    CliRun tasks =
        CliRun.of("listops", "sample", "--tasks", "SUM,MAX", "--n", "100", "--seed", "7");
    assertEquals(0, ops.status(), ops.err());
    assertEquals(tasks.out(), ops.out());
    assertTrue(ops.out().contains("\"MAX\""), ops.out());
  }
}
