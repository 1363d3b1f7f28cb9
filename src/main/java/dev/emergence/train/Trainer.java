package dev.emergence.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.google.common.base.Preconditions;
import dev.emergence.listops.AnswerStats;
import dev.emergence.listops.Operator;
import dev.emergence.nn.GptConfig;
import dev.emergence.optim.LearningRateSchedule;
import dev.emergence.session.GraphSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Trains a GPT on a ListOps task: random training rows each step (with replacement, from a seeded
 * stream), AdamW with warmup + cosine fed per step, validation every {@code evalEvery} steps with an
 * early stop once validation accuracy stays at or above the target, then test accuracy per operator
 * beside the majority-class baseline. Same seed and thread settings give bit-identical results.
 */
public final class Trainer {
  /** Training stopped because the loss became NaN or infinite. */
  public static final class Diverged extends IllegalStateException {
    private final int step;

    Diverged(float loss, int step) {
      super("training loss became " + loss + " at step " + step + "; lower the learning rate (--lr)");
      this.step = step;
    }

    public int step() {
      return step;
    }
  }

  /**
   * Everything a run reports, serialized as {@code result.json} (keys in snake case, sorted). Accuracy
   * maps hold {@code overall} and one entry per operator; {@code export} is the SavedModel's directory,
   * or null (see {@link #withExport}).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder(alphabetic = true)
  public record Result(
      long params,
      int steps,
      boolean earlyStopped,
      boolean plateaued,
      Map<String, Double> testAccuracy,
      Map<String, Double> majorityBaseline,
      Map<String, Double> validationAccuracy,
      double finalLoss,
      @JsonProperty("wall_s") double wallSeconds,
      @JsonProperty("train_s") double trainSeconds,
      @JsonProperty("tokens_per_s") double tokensPerSecond,
      String export) {
    public Result withExport(Path dir) {
      return new Result(
          params, steps, earlyStopped, plateaued, testAccuracy, majorityBaseline, validationAccuracy, finalLoss,
          wallSeconds, trainSeconds, tokensPerSecond, dir == null ? null : dir.toString());
    }
  }

  /** The model shape of the capacity study: 1 layer, 2 heads, d_model 32, MLP ratio 4, tied head. */
  public static GptConfig defaultModel(int vocab, int context) {
    return GptConfig.of(vocab, context, 1, 2, 32);
  }

  private final GraphSession session;
  private final GptConfig modelConfig;
  private final TrainConfig config;
  private final ListOpsTask task;
  private final long seed;
  private final GptGraph graph;

  public Trainer(GraphSession session, GptConfig modelConfig, TrainConfig config, ListOpsTask task, long seed) {
    Preconditions.checkArgument(
        modelConfig.vocab() == task.vocab(),
        "model vocabulary %s does not match the task's %s", modelConfig.vocab(), task.vocab());
    Preconditions.checkArgument(task.trainSize() > 0, "the training split is empty");
    this.session = session;
    this.modelConfig = modelConfig;
    this.config = config;
    this.task = task;
    this.seed = seed;
    this.graph = new GptGraph(session, modelConfig, config.batch(), task.length(), config.adam(), seed);
  }

  public GptGraph graph() {
    return graph;
  }

  /**
   * Runs the training loop. {@code metrics} receives one map per evaluation (step, loss, lr,
   * validation accuracy, elapsed time); {@code progress} shows a bar on stderr.
   */
  public Result run(Consumer<Map<String, Object>> metrics, boolean progress) {
    long start = System.nanoTime();
    long trainNanos = 0;
    LearningRateSchedule schedule = config.schedule();
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x5EED);
    int b = config.batch();
    int length = task.length();
    int[] indices = new int[b];
    int[] ids = new int[b * length];
    float[] mask = new float[b * length];
    List<Double> history = new ArrayList<>();
    Evaluation.Accuracy validation = null;
    double lossSum = 0;
    int lossCount = 0;
    double lastLoss = Double.NaN;
    int streak = 0;
    int step = 0;
    boolean stopped = false;
    boolean hasValidation = task.validation().values().stream().anyMatch(s -> s.size() > 0);
    try (ProgressBar bar = progress ? bar(config.steps()) : null) {
      while (step < config.steps() && !stopped) {
        long t0 = System.nanoTime();
        for (int i = 0; i < b; i++) {
          indices[i] = random.nextInt(task.trainSize());
        }
        task.trainBatch(indices, config.lossOn(), ids, mask);
        boolean fetch = (step + 1) % config.lossEvery() == 0 || (step + 1) % config.evalEvery() == 0 || step + 1 == config.steps();
        float loss = graph.trainStep(ids, mask, schedule.at(step), fetch);
        trainNanos += System.nanoTime() - t0;
        step++;
        if (fetch) {
          if (!Float.isFinite(loss)) {
            throw new Diverged(loss, step);
          }
          lossSum += loss;
          lossCount++;
          lastLoss = loss;
        }
        boolean evaluate = step % config.evalEvery() == 0 || step == config.steps();
        if (evaluate && hasValidation) {
          validation = Evaluation.evaluate(graph, task, task.validation());
          history.add(validation.overall());
          streak = validation.overall() >= config.targetAccuracy() ? streak + 1 : 0;
          stopped = streak >= config.patience();
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("step", step);
          line.put("loss", lossCount == 0 ? null : lossSum / lossCount);
          line.put("lr", schedule.at(step - 1));
          line.put("val_accuracy", validation.asMap());
          line.put("elapsed_s", (System.nanoTime() - start) / 1e9);
          line.put("tokens_per_s", tokens(step, trainNanos));
          metrics.accept(line);
          lossSum = 0;
          lossCount = 0;
        }
        if (bar != null) {
          bar.stepTo(step);
          if (fetch || evaluate) {
            bar.setExtraMessage(
                String.format(
                    "loss %.4f%s", lastLoss, validation == null ? "" : String.format(" val %.3f", validation.overall())));
          }
        }
      }
    }
    Evaluation.Accuracy test = Evaluation.evaluate(graph, task, task.test());
    double wall = (System.nanoTime() - start) / 1e9;
    return new Result(
        modelConfig.parameterCount(),
        step,
        stopped,
        stopped || plateaued(history),
        test.asMap(),
        majority(),
        validation == null ? Map.of() : validation.asMap(),
        lastLoss,
        wall,
        trainNanos / 1e9,
        tokens(step, trainNanos),
        null);
  }

  private double tokens(int steps, long nanos) {
    return nanos == 0 ? 0 : (double) steps * config.batch() * (task.length() - 1) / (nanos / 1e9);
  }

  /**
   * Plateaued: over the last quarter of the evaluations (at least 3), overall validation accuracy
   * moved by at most 0.01.
   */
  static boolean plateaued(List<Double> history) {
    int window = Math.max(3, history.size() / 4);
    if (history.size() < window) {
      return false;
    }
    List<Double> tail = history.subList(history.size() - window, history.size());
    double lo = tail.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double hi = tail.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    return hi - lo <= 0.01;
  }

  /** Majority-class accuracy of each operator's test set, and overall (weighted by size). */
  private Map<String, Double> majority() {
    return majority(task);
  }

  /** Majority-class accuracy of each operator's test set of {@code task}, and overall. */
  static Map<String, Double> majority(ListOpsTask task) {
    Map<String, Double> per = new LinkedHashMap<>();
    double right = 0;
    int total = 0;
    for (Operator op : task.operators()) {
      AnswerStats stats = task.testStats(op);
      if (stats.total() == 0) {
        continue;
      }
      per.put(op.name(), stats.majorityAccuracy());
      right += stats.majorityAccuracy() * stats.total();
      total += stats.total();
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("overall", total == 0 ? 0 : right / total);
    out.putAll(per);
    return out;
  }

  static ProgressBar bar(int steps) {
    return new ProgressBarBuilder()
        .setTaskName("train")
        .setInitialMax(steps)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(500)
        .continuousUpdate()
        .build();
  }
}
