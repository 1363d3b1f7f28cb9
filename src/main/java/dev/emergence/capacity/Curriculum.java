package dev.emergence.capacity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.google.common.base.Preconditions;
import dev.emergence.listops.Arity;
import dev.emergence.listops.Composition;
import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.Domain;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.Mix;
import dev.emergence.nn.GptConfig;
import dev.emergence.report.StopSignal;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import dev.emergence.train.ListOpsTask;
import dev.emergence.train.MetricsLine;
import dev.emergence.train.TrainConfig;
import dev.emergence.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;

/**
 * Transfer (E3): pretrain on one mix, then train the same weights on another, against the second
 * mix from scratch for the same total number of steps, at the same size and seed. Both models share
 * one context (the longer of the two tasks' sequences), so the weights carry over unchanged. The
 * optimizer's moments and bias-correction powers are kept from pretraining or reset to their
 * initial values.
 */
public final class Curriculum {
  private Curriculum() {}

  /** What the comparison holds fixed. */
  public record Settings(
      String pretrain,
      String finetune,
      int pretrainSteps,
      int finetuneSteps,
      TrainConfig training,
      DatasetSpec sizes,
      int depth,
      int modulus,
      String arity,
      Composition composition,
      int layers,
      int heads,
      int dModel,
      int loops,
      boolean keepOptimizer,
      @JsonInclude(JsonInclude.Include.NON_NULL) String group) {
    public Settings {
      Preconditions.checkArgument(
          pretrainSteps >= 1, "--pretrain-steps must be at least 1, got %s", pretrainSteps);
      Preconditions.checkArgument(
          finetuneSteps >= 1, "--finetune-steps must be at least 1, got %s", finetuneSteps);
      Domain domain = Domain.of(group, modulus);
      Mix.parse(pretrain, domain);
      Mix.parse(finetune, domain);
      Arity.parse(arity);
    }
  }

  /**
   * One validation point: accuracy per operator of the finetuning mix, at a step counted from the
   * start.
   */
  public record Point(int step, Map<String, Double> accuracy) {}

  /** The two arms for one seed. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Arm(
      long params,
      Map<String, Double> testAccuracy,
      Map<String, Double> majority,
      List<Point> curve) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record SeedResult(
      long seed, Arm curriculum, Arm scratch, Map<String, Double> pretrainTestAccuracy) {}

  public static SeedResult run(Settings s, long seed, SessionConfig session, Path scratchDir) {
    ListOpsTask first = task(s, s.pretrain(), seed);
    ListOpsTask second = task(s, s.finetune(), seed);
    int context = Math.max(first.length(), second.length()) - 1;
    GptConfig model =
        GptConfig.of(first.vocab(), context, s.layers(), s.heads(), s.dModel())
            .withLoops(s.loops());
    TrainConfig pre = s.training().toBuilder().steps(s.pretrainSteps()).build();
    TrainConfig fine = s.training().toBuilder().steps(s.finetuneSteps()).build();
    TrainConfig scratch =
        s.training().toBuilder().steps(s.pretrainSteps() + s.finetuneSteps()).build();
    String prefix = scratchDir.resolve("pretrained-seed" + seed).resolve("ckpt").toString();
    Trainer.Result pretrained;
    try {
      Files.createDirectories(scratchDir.resolve("pretrained-seed" + seed));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + scratchDir + ": " + e.getMessage(), e);
    }
    try (GraphSession g = new GraphSession(session)) {
      pretrained =
          only(
              new Trainer(g, model, pre, first, seed)
                  .stopWhen(StopSignal.supplier())
                  .run((m, line) -> {}, false));
      g.save(prefix);
    }
    List<Point> curriculumCurve = new ArrayList<>();
    Trainer.Result finetuned;
    try (GraphSession g = new GraphSession(session)) {
      Trainer trainer = new Trainer(g, model, fine, second, seed).stopWhen(StopSignal.supplier());
      g.restore(prefix);
      if (!s.keepOptimizer()) {
        resetOptimizer(g, pre);
      }
      finetuned =
          only(
              trainer.run((m, line) -> curriculumCurve.add(point(line, s.pretrainSteps())), false));
    }
    List<Point> scratchCurve = new ArrayList<>();
    Trainer.Result fromScratch;
    try (GraphSession g = new GraphSession(session)) {
      fromScratch =
          only(
              new Trainer(g, model, scratch, second, seed)
                  .stopWhen(StopSignal.supplier())
                  .run((m, line) -> scratchCurve.add(point(line, 0)), false));
    }
    return new SeedResult(
        seed,
        new Arm(
            finetuned.params(),
            finetuned.testAccuracy(),
            finetuned.majorityBaseline(),
            curriculumCurve),
        new Arm(
            fromScratch.params(),
            fromScratch.testAccuracy(),
            fromScratch.majorityBaseline(),
            scratchCurve),
        pretrained.testAccuracy());
  }

  private static ListOpsTask task(Settings s, String mix, long seed) {
    Domain domain = Domain.of(s.group(), s.modulus());
    GeneratorConfig generator =
        GeneratorConfig.defaults(domain, Mix.parse(mix, domain))
            .withMaxDepth(s.depth())
            .withArity(Arity.parse(s.arity()))
            .withComposition(s.composition());
    return ListOpsTask.build(generator, s.sizes(), seed, false);
  }

  private static Point point(MetricsLine line, int offset) {
    return new Point(line.step() + offset, new LinkedHashMap<>(line.valAccuracy()));
  }

  /** The result of a model trained alone; a divergence fails the comparison. */
  private static Trainer.Result only(List<Trainer.Outcome> outcomes) {
    Trainer.Outcome outcome = outcomes.get(0);
    if (outcome.diverged()) {
      throw new IllegalStateException(outcome.reason());
    }
    return outcome.result();
  }

  /**
   * Sets every AdamW moment ({@code <variable>.m}, {@code <variable>.v}) to zero and the
   * bias-correction powers (one per member) back to beta1 and beta2, as a freshly built optimizer
   * has them.
   */
  static void resetOptimizer(GraphSession g, TrainConfig training) {
    Ops tf = g.tf();
    List<org.tensorflow.op.Op> resets = new ArrayList<>();
    java.util.Iterator<GraphOperation> ops = g.graph().operations();
    while (ops.hasNext()) {
      GraphOperation op = ops.next();
      String name = op.name();
      boolean variable = op.type().startsWith("Variable");
      if (variable && (name.endsWith(".m") || name.endsWith(".v"))) {
        Operand<org.tensorflow.types.TFloat32> slot = op.output(0);
        resets.add(tf.assign(slot, tf.zerosLike(slot)));
      } else if (variable && name.endsWith("adamw.beta1_power")) {
        resets.add(
            tf.assign(
                op.<org.tensorflow.types.TFloat32>output(0), filled(tf, op, training.beta1())));
      } else if (variable && name.endsWith("adamw.beta2_power")) {
        resets.add(
            tf.assign(
                op.<org.tensorflow.types.TFloat32>output(0), filled(tf, op, training.beta2())));
      }
    }
    Preconditions.checkState(!resets.isEmpty(), "no optimizer state found to reset");
    g.run(resets.toArray(org.tensorflow.op.Op[]::new));
  }

  /** {@code value} in every entry of a variable's shape. */
  private static Operand<org.tensorflow.types.TFloat32> filled(
      Ops tf, GraphOperation variable, double value) {
    Operand<org.tensorflow.types.TFloat32> v = variable.output(0);
    return tf.fill(tf.shape(v), tf.constant((float) value));
  }
}
