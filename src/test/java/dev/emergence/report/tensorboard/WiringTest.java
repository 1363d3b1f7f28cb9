package dev.emergence.report.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.Mix;
import dev.emergence.listops.Vocabulary;
import dev.emergence.nn.GnnReparametrization;
import dev.emergence.nn.GptConfig;
import dev.emergence.reparam.Target;
import dev.emergence.reparam.Trace;
import dev.emergence.reparam.graph.GraphSpec;
import dev.emergence.reparam.method.GnnStage;
import dev.emergence.reparam.method.MethodKind;
import dev.emergence.reparam.method.MethodResult;
import dev.emergence.reparam.method.MethodRun;
import dev.emergence.reparam.method.OptimizerKind;
import dev.emergence.reparam.method.RunSettings;
import dev.emergence.reparam.method.Stopping;
import dev.emergence.reparam.problem.HeatProblem;
import dev.emergence.reparam.run.ReparamRun;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import dev.emergence.train.ListOpsTask;
import dev.emergence.train.MetricsLine;
import dev.emergence.train.TrainConfig;
import dev.emergence.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny training run and a tiny reparametrization wired to TensorBoard exactly as the report
 * proposes for the train and reparam commands; the event files read back.
 */
class WiringTest {

  @Test
  void tinyTrainingRun(@TempDir Path run) throws Exception {
    GeneratorConfig generator = GeneratorConfig.defaults(Mix.parse("MAX:1,SUM:1")).withMaxDepth(2);
    ListOpsTask task = ListOpsTask.build(generator, new DatasetSpec(500, 20, 20), 3, false);
    GptConfig model = GptConfig.of(task.vocab(), task.length() - 1, 1, 2, 16);
    TrainConfig train = TrainConfig.builder().steps(30).batch(16).evalEvery(10).build();
    List<MetricsLine> metrics = new ArrayList<>();
    Trainer.Result result;
    int variables;
    try (GraphSession session = new GraphSession(SessionConfig.defaults());
        TrainingLog tb = TrainingLog.open(run, true)) {
      Trainer trainer = new Trainer(session, model, train, task, 3);
      variables = trainer.graph().model().variables().size();
      // the wiring: the metrics callback, at evaluations only
      result =
          trainer
              .run(
                  (m, line) -> {
                    metrics.add(line);
                    tb.evaluation(
                        line.step(),
                        line.loss(),
                        line.lr(),
                        line.valAccuracy(),
                        line.elapsedS(),
                        line.tokensPerS());
                    tb.weights(line.step(), trainer.weights(m));
                  },
                  false)
              .get(0)
              .result();
      tb.test(result.steps(), result.testAccuracy());
      tb.digits(
          trainer.weights(0).get("wte"),
          model.dModel(),
          Vocabulary.FIRST_NUMBER,
          generator.modulus());
    }
    EventFiles.Log log = EventFiles.read(run.resolve("tensorboard"));
    assertEquals(3, metrics.size());
    assertEquals(
        List.of(10L, 20L, 30L), log.scalars("loss").stream().map(EventFiles.Scalar::step).toList());
    for (int i = 0; i < 3; i++) {
      MetricsLine line = metrics.get(i);
      assertEquals((float) (double) line.loss(), log.scalars("loss").get(i).value(), 0);
      assertEquals((float) line.lr(), log.scalars("learning_rate").get(i).value(), 0);
      assertEquals((float) line.tokensPerS(), log.scalars("tokens_per_s").get(i).value(), 0);
      Map<String, Double> accuracy = line.valAccuracy();
      for (String op : List.of("overall", "MAX", "SUM")) {
        assertEquals(
            (float) (double) accuracy.get(op),
            log.scalars("val_accuracy/" + op).get(i).value(),
            0,
            op);
      }
    }
    assertEquals(
        (float) (double) result.testAccuracy().get("overall"),
        log.scalars("test_accuracy/overall").get(0).value(),
        0);
    assertEquals(variables, log.tags().stream().filter(t -> t.startsWith("weights/")).count());
    assertEquals(3, log.histograms("weights/wte").size());
    assertEquals(
        generator.modulus() + 1,
        Files.readAllLines(run.resolve("tensorboard/" + Projector.METADATA)).size());
  }

  @Test
  void tinyReparametrization(@TempDir Path runDir) {
    HeatProblem problem = HeatProblem.of(GraphSpec.load("grid2d:6x4", 0));
    RunSettings d = RunSettings.defaults(OptimizerKind.ADAM, problem, 1);
    RunSettings s =
        d.withRates(d.rates().withRates(0.01, 0.01, 0.001))
            .withStopping(new Stopping(1e-6, 3000, 30))
            .withGnn(
                d.gnn()
                    .withNet(
                        new GnnReparametrization.Config(
                            8,
                            2,
                            GnnReparametrization.Skip.CONCAT,
                            GnnReparametrization.Activation.TANH,
                            1))
                    .withPlateau(new GnnStage.Plateau(20, 1e-3)));
    Target target = problem.target(1e-6).orElseThrow();
    MethodRun run = MethodKind.GNN.run(problem, target, s);
    MethodResult r = run.result();
    // the wiring: after the method's timed run, its trace replayed, sampled
    try (ReparamLog tb = ReparamLog.open(runDir, r.method().toString(), s.seed(), true)) {
      ReparamRun.replay(tb, run, target, 1000);
    }
    Trace t = run.trace();
    EventFiles.Log log = EventFiles.read(runDir.resolve("tensorboard/gnn-seed1"));
    int n = Math.min(t.size(), ReparamLog.sample(t.size(), 1000).length);
    assertEquals(n, log.scalars("gap").size());
    EventFiles.Scalar last = log.scalars("gap").get(n - 1);
    assertEquals(t.iteration(t.size() - 1), last.step());
    assertEquals((float) t.gap(t.size() - 1), last.value(), 0);
    assertEquals(
        Math.round(t.seconds(t.size() - 1) * 1e3), log.scalars("wall_ms/gap").get(n - 1).step());
    assertEquals(
        (float) target.energy(),
        log.scalars("energy").get(n - 1).value(),
        Math.abs(target.energy()) * 1e-5);
    assertEquals(1.0, log.scalars("stage").get(0).value(), 0, "starts in the GNN stage");
    if (r.stageSwitchIteration() != null) {
      assertEquals(0.0, log.scalars("stage").get(n - 1).value(), 0, "ends in the direct stage");
    }
    assertTrue(
        log.tags()
            .containsAll(
                List.of(
                    "energy",
                    "gap",
                    "log10_gap",
                    "stage",
                    "wall_ms/energy",
                    "wall_ms/gap",
                    "wall_ms/stage")));
    assertEquals((float) r.finalGap(), log.scalars("final_gap").get(0).value(), 0);
    assertEquals(last.step(), log.scalars("final_gap").get(0).step());
    assertEquals((double) r.iterations(), log.scalars("iterations").get(0).value(), 0);
  }
}
