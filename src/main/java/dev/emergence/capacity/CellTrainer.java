package dev.emergence.capacity;

import dev.emergence.listops.Arity;
import dev.emergence.listops.Composition;
import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.Mix;
import dev.emergence.nn.GptConfig;
import dev.emergence.report.Provenance;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import dev.emergence.train.GptExport;
import dev.emergence.train.ListOpsTask;
import dev.emergence.train.TrainConfig;
import dev.emergence.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains one cell of a sweep: its task (the cell's mix, depth, modulus and chain of thought; data
 * seeded by the cell's seed, so an operator's test set is the same in every mix), its model shape, the
 * sweep's fixed training settings; evaluates every operator of the mix on its pure test expressions.
 */
public final class CellTrainer {
  /** Everything a sweep holds fixed across its cells; part of every cell's fingerprint. */
  public record Settings(TrainConfig training, DatasetSpec sizes, String arity, Composition composition, double target) {}

  private final Settings settings;
  private final SessionConfig session;

  public CellTrainer(Settings settings, SessionConfig session) {
    this.settings = settings;
    this.session = session;
  }

  public static GeneratorConfig generator(SweepGrid.Cell cell, Settings settings) {
    return GeneratorConfig.defaults(Mix.parse(cell.mix()))
        .withMaxDepth(cell.depth())
        .withModulus(cell.modulus())
        .withArity(Arity.parse(settings.arity()))
        .withComposition(settings.composition());
  }

  /** Trains the cell; with {@code export} non-null, also writes its SavedModel there. */
  public CellResult train(SweepGrid.Cell cell, Path export) {
    long start = System.nanoTime();
    ListOpsTask task = ListOpsTask.build(generator(cell, settings), settings.sizes(), cell.seed(), cell.cot());
    GptConfig model = GptConfig.of(task.vocab(), task.length() - 1, cell.layers(), cell.heads(), cell.dModel())
        .withLoops(cell.loops());
    List<CellResult.CurvePoint> curve = new ArrayList<>();
    Map<String, Integer> stepsToTarget = new LinkedHashMap<>();
    task.operators().forEach(op -> stepsToTarget.put(op.name(), null));
    try (GraphSession graphSession = new GraphSession(session)) {
      Trainer trainer = new Trainer(graphSession, model, settings.training(), task, cell.seed());
      Trainer.Result result = trainer.run(line -> {
        int step = ((Number) line.get("step")).intValue();
        @SuppressWarnings("unchecked")
        Map<String, Double> accuracy = new LinkedHashMap<>((Map<String, Double>) line.get("val_accuracy"));
        accuracy.remove("overall");
        curve.add(new CellResult.CurvePoint(step, accuracy));
        accuracy.forEach((op, acc) -> {
          if (acc >= settings.target() && stepsToTarget.get(op) == null) {
            stepsToTarget.put(op, step);
          }
        });
      }, false);
      if (export != null) {
        GptExport.export(graphSession, trainer.graph(), task, export, false);
      }
      return new CellResult(
          cell,
          result.params(),
          result.steps(),
          withoutOverall(result.testAccuracy()),
          withoutOverall(result.majorityBaseline()),
          stepsToTarget,
          curve,
          (System.nanoTime() - start) / 1e9,
          Provenance.current().label());
    }
  }

  private static Map<String, Double> withoutOverall(Map<String, Double> accuracy) {
    Map<String, Double> out = new LinkedHashMap<>(accuracy);
    out.remove("overall");
    return out;
  }
}
