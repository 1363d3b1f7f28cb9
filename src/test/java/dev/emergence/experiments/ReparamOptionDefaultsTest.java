package dev.emergence.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.reparam.Problem;
import dev.emergence.reparam.bench.BenchConfig;
import dev.emergence.reparam.method.GnnStage;
import dev.emergence.reparam.method.OptimizerKind;
import dev.emergence.reparam.method.RunSettings;
import dev.emergence.reparam.problem.KuramotoProblem;
import dev.emergence.reparam.problem.Problems;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The reparametrization commands' defaults are the settings records': one place for each. */
class ReparamOptionDefaultsTest {
  private static Reparam reparam(String... args) {
    Reparam reparam = new Reparam();
    Emergence.Cli.commandLine(reparam).parseArgs(args);
    return reparam;
  }

  @Test
  void reparamWithNoOptionsRunsTheDefaultSettings() {
    Reparam reparam = reparam("--graph", "grid2d:8x8");
    assertEquals(Problems.DEFAULT, reparam.problem.problem);
    Problem heat = reparam.problem.settings().create("grid2d:8x8", 0);
    assertEquals(RunSettings.defaults(OptimizerKind.DEFAULT, heat, 0), reparam.settings(heat));
    assertEquals(Reparam.METHODS, reparam.methods);
  }

  @Test
  void eachProblemWithNoOptionsRunsItsDefaultSettings() {
    for (String name : Problems.names()) {
      assertEquals(
          Problems.defaults(name),
          reparam("--problem", name, "--graph", "grid2d:8x8").problem.settings(),
          name);
    }
  }

  @Test
  void aProblemsOptionsSetItsRecord() {
    Reparam reparam =
        reparam(
            "--problem",
            "kuramoto",
            "--graph",
            "grid2d:8x8",
            "--hessian-at",
            "initial-abs",
            "--spread",
            "2",
            "--target-r",
            "0.9");
    assertEquals(
        new KuramotoProblem.Settings(KuramotoProblem.HessianAt.INITIAL_ABS, 2, 0.9),
        reparam.problem.settings());
  }

  @Test
  void theReferenceStepHandsOverTheLastXUnlessToldOtherwise() {
    Problem heat = Problems.defaults("heat").create("grid2d:8x8", 0);
    assertEquals(
        GnnStage.Handover.LAST,
        reparam("--graph", "grid2d:8x8", "--reference-step").settings(heat).gnn().handover());
    assertEquals(
        GnnStage.Handover.BEST, reparam("--graph", "grid2d:8x8").settings(heat).gnn().handover());
  }

  @Test
  void reparamBenchWithNoOptionsRunsTheDefaultBenchmark() {
    ReparamBench bench = new ReparamBench();
    Emergence.Cli.commandLine(bench).parseArgs();
    assertEquals(BenchConfig.defaults(Problems.DEFAULT), bench.config());
  }

  @Test
  void theHelpShowsTheRecordsDefaults() {
    String reparam =
        Emergence.Cli.commandLine(new Reparam())
            .getUsageMessage(CommandLine.Help.Ansi.OFF)
            .replaceAll("\\s+", " ");
    assertTrue(
        reparam.contains(
            "--max-iterations=<maxIterations> Iteration cap per run: the budget that decides, the same on any machine"
                + " (default: 10000000)."),
        reparam);
    assertTrue(
        reparam.contains(
            "--handover=<handover> What the GNN stage hands to the direct stage: last (its final x) or best (the x of the"
                + " lowest energy it saw) (default: best; last with --reference-step)."),
        reparam);
    assertTrue(
        reparam.contains(
            "--spread=<spread> Initial phases uniform in [-spread/2, spread/2), in (0, 2 pi] (default: 3.0;"),
        reparam);
    assertTrue(
        reparam.contains(
            "--optimizer=<optimizer> sgd, adam, rmsprop, adagrad, jacobi, nesterov; sgd is plain gradient descent,"),
        reparam);
    assertTrue(
        reparam.contains(
            "with rates from Lanczos estimates of the Hessian's spectrum (default: adam)."),
        reparam);
    String bench =
        Emergence.Cli.commandLine(new ReparamBench())
            .getUsageMessage(CommandLine.Help.Ansi.OFF)
            .replaceAll("\\s+", " ");
    assertTrue(bench.contains("(default: 200000)") && bench.contains("(default: 600.0)"), bench);
  }
}
