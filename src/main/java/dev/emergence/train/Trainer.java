package dev.emergence.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.google.common.base.Preconditions;
import dev.emergence.listops.AnswerStats;
import dev.emergence.listops.EncodedBatch;
import dev.emergence.listops.ListOperator;
import dev.emergence.listops.Split;
import dev.emergence.listops.Vocabulary;
import dev.emergence.nn.GptConfig;
import dev.emergence.optim.LearningRateSchedule;
import dev.emergence.report.RunDirectory;
import dev.emergence.report.StopSignal;
import dev.emergence.session.GraphSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Trains K models of one shape as one stack ({@link TrainingGraph}; K = 1 for a model trained
 * alone): each member its own seed (initial weights and row stream), its own task (data set,
 * operator mix), its own learning rate, its own validation, early stop and result. Each step every
 * active member draws random training rows (with replacement, from a stream seeded by its seed) and
 * takes an AdamW step at its point of the warmup + cosine schedule; every {@code evalEvery} steps
 * it is validated, and it stops early once its validation accuracy stays at or above the target for
 * {@code patience} evaluations; a member that stops (or diverges: a NaN or infinite loss) is frozen
 * while the others go on. Then each member's test accuracy per operator, beside the majority-class
 * baseline. With the loss on the answer the step takes the answer-only path. Same seeds and thread
 * settings give bit-identical results, and member k of any stack computes what it computes alone,
 * up to the rounding of batched products of another K.
 *
 * <p>With {@link Checkpoints} the stack saves its variables and loop state every {@code every}
 * steps, and {@link #run} continues from the last checkpoint found there, bit-identical to an
 * unbroken run; a stop request ({@link #stopWhen}) ends the run at the end of a step with a
 * checkpoint.
 */
public final class Trainer {
  /**
   * One member: its seed, peak learning rate and task (whose data seed is usually the same seed).
   */
  public record Member(long seed, double learningRate, ListOpsTask task) {}

  /** What happened to a member: its result, or the step and reason it diverged (result null). */
  public record Outcome(Result result, Integer divergedStep, String reason) {
    public boolean diverged() {
      return divergedStep != null;
    }
  }

  /** Receives member k's metrics lines, at its evaluations. */
  public interface Metrics {
    void accept(int member, MetricsLine line);
  }

  /**
   * Everything a member's run reports, serialized as {@code result.json} (keys in snake case,
   * sorted). Accuracy maps hold {@code overall} and one entry per operator; {@code export} is the
   * SavedModel's directory, or null (see {@link #withExport}).
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
          params,
          steps,
          earlyStopped,
          plateaued,
          testAccuracy,
          majorityBaseline,
          validationAccuracy,
          finalLoss,
          wallSeconds,
          trainSeconds,
          tokensPerSecond,
          dir == null ? null : dir.toString());
    }
  }

  /** A member's loop state, saved with each checkpoint (public fields for JSON). */
  public static final class MemberState {
    public int steps;
    public int draws;
    public boolean active = true;
    public boolean earlyStopped;
    public Integer divergedStep;
    public String reason;
    public int streak;
    public List<Double> history = new ArrayList<>();
    public Map<String, Double> validation;
    public double lossSum;
    public int lossCount;
    public double lastLoss = Double.NaN;
    public long trainNanos;
  }

  /** The whole loop state of a checkpoint. */
  public static final class LoopState {
    public int step;
    public long trainNanos;
    public List<MemberState> members = new ArrayList<>();
  }

  /** Rows per member in one evaluation run. */
  private static final int EVAL_ROWS = 500;

  /**
   * The model shape of the capacity study: 1 layer, 2 heads, d_model 32, MLP ratio 4, tied head.
   */
  public static GptConfig defaultModel(int vocab, int context) {
    return GptConfig.of(vocab, context, 1, 2, 32);
  }

  private final GraphSession session;
  private final GptConfig modelConfig;
  private final TrainConfig config;
  private final List<Member> members;
  private final boolean cot;
  private final TrainingGraph graph;
  private final int length;
  private BooleanSupplier stopRequested = () -> false;
  private IntConsumer afterStep = step -> {};

  public Trainer(
      GraphSession session, GptConfig modelConfig, TrainConfig config, List<Member> members) {
    Preconditions.checkArgument(!members.isEmpty(), "a stack needs at least one member");
    boolean cot = members.get(0).task().cot();
    int length = 0;
    int positions = 0;
    for (Member m : members) {
      ListOpsTask task = m.task();
      Preconditions.checkArgument(
          modelConfig.vocab() == task.vocab(),
          "model vocabulary %s does not match the task's %s (seed %s)",
          modelConfig.vocab(),
          task.vocab(),
          m.seed());
      Preconditions.checkArgument(
          task.trainSize() > 0, "the training split of seed %s is empty", m.seed());
      Preconditions.checkArgument(
          task.cot() == cot,
          "the members of a stack all train with chain of thought or all without");
      length = Math.max(length, task.length());
      positions = Math.max(positions, task.maxAnswerPositions());
    }
    this.session = session;
    this.modelConfig = modelConfig;
    this.config = config;
    this.members = List.copyOf(members);
    this.cot = cot;
    this.length = length;
    long[] seeds = members.stream().mapToLong(Member::seed).toArray();
    boolean answerOnly = config.lossOn() == TrainConfig.LossOn.ANSWER;
    this.graph =
        new TrainingGraph(
            session,
            modelConfig,
            seeds,
            config.batch(),
            length,
            config.adam(),
            answerOnly ? Math.max(positions, 1) : 0,
            EVAL_ROWS);
  }

  /** A model trained alone: a stack of one. */
  public Trainer(
      GraphSession session,
      GptConfig modelConfig,
      TrainConfig config,
      ListOpsTask task,
      long seed) {
    this(session, modelConfig, config, List.of(new Member(seed, config.learningRate(), task)));
  }

  /**
   * Checks {@code stop} at the end of every step (after its evaluation and periodic checkpoint):
   * when it says stop, the run saves a checkpoint (unless it just did) and throws {@link
   * RunDirectory.Stopped} ({@link StopSignal#supplier} for signals; tests stop at an exact step).
   */
  public Trainer stopWhen(BooleanSupplier stop) {
    this.stopRequested = stop;
    return this;
  }

  /** Called with the step reached at the end of every step (progress of a long run). */
  public Trainer afterStep(IntConsumer listener) {
    this.afterStep = listener;
    return this;
  }

  public TrainingGraph graph() {
    return graph;
  }

  public List<Member> members() {
    return members;
  }

  /** The member's schedule: the stack's, at the member's peak learning rate. */
  public LearningRateSchedule schedule(int member) {
    return config.toBuilder().learningRate(members.get(member).learningRate()).build().schedule();
  }

  /** Trains every member to its end (budget, early stop or divergence); then tests each. */
  public List<Outcome> run(Metrics metrics, boolean progress) {
    return run(metrics, progress, null);
  }

  /**
   * As {@link #run(Metrics, boolean)}, continuing from and saving {@code checkpoints} (null: none).
   */
  public List<Outcome> run(Metrics metrics, boolean progress, Checkpoints checkpoints) {
    long start = System.nanoTime();
    int k = members.size();
    int b = config.batch();
    LearningRateSchedule[] schedules = new LearningRateSchedule[k];
    SplittableRandom[] randoms = new SplittableRandom[k];
    List<Map<ListOperator, EncodedBatch>> validation = new ArrayList<>();
    List<Map<ListOperator, EncodedBatch>> test = new ArrayList<>();
    for (int m = 0; m < k; m++) {
      schedules[m] = schedule(m);
      randoms[m] = new SplittableRandom(members.get(m).seed() * 0x9E3779B97F4A7C15L + 0x5EED);
      validation.add(encode(members.get(m).task(), members.get(m).task().validation()));
      test.add(encode(members.get(m).task(), members.get(m).task().test()));
    }
    LoopState state = checkpoints == null ? null : checkpoints.restore(session, LoopState.class);
    if (state == null) {
      state = new LoopState();
      for (int m = 0; m < k; m++) {
        state.members.add(new MemberState());
      }
    } else {
      Preconditions.checkArgument(
          state.members.size() == k,
          "the checkpoint in %s holds %s members, this stack has %s: resume with the same seeds",
          checkpoints.dir(),
          state.members.size(),
          k);
      for (int m = 0; m < k; m++) { // replay each member's row stream up to the checkpoint
        int trainSize = members.get(m).task().trainSize();
        for (long i = 0; i < (long) state.members.get(m).draws * b; i++) {
          randoms[m].nextInt(trainSize);
        }
      }
    }
    int[] ids = new int[k * b * length];
    float[] mask = new float[k * b * length];
    float[] lr = new float[k];
    float[] active = new float[k];
    int[] indices = new int[b];
    try (ProgressBar bar = progress ? bar(config.steps()) : null) {
      while (state.step < config.steps() && state.members.stream().anyMatch(s -> s.active)) {
        int step = state.step;
        long t0 = System.nanoTime();
        for (int m = 0; m < k; m++) {
          MemberState s = state.members.get(m);
          active[m] = s.active ? 1f : 0f;
          lr[m] = s.active ? (float) schedules[m].at(step) : 0f;
          if (s.active) {
            fillRows(members.get(m).task(), randoms[m], indices, ids, mask, m);
            s.draws++;
          }
        }
        boolean fetch =
            (step + 1) % config.lossEvery() == 0
                || (step + 1) % config.evalEvery() == 0
                || step + 1 == config.steps();
        float[] losses = graph.trainStep(ids, mask, lr, active, fetch);
        long nanos = System.nanoTime() - t0;
        state.trainNanos += nanos;
        state.step = ++step;
        boolean evaluate = step % config.evalEvery() == 0 || step == config.steps();
        boolean[] toEvaluate = new boolean[k];
        for (int m = 0; m < k; m++) {
          MemberState s = state.members.get(m);
          if (!s.active) {
            continue;
          }
          s.steps = step;
          s.trainNanos += nanos;
          if (fetch) {
            float loss = losses[m];
            if (!Float.isFinite(loss)) {
              s.active = false;
              s.divergedStep = step;
              s.reason =
                  "training loss became "
                      + loss
                      + " at step "
                      + step
                      + "; lower the learning rate (--lr)";
              continue;
            }
            s.lossSum += loss;
            s.lossCount++;
            s.lastLoss = loss;
          }
          toEvaluate[m] = evaluate && hasValidation(members.get(m).task());
        }
        if (anyTrue(toEvaluate)) {
          List<Evaluation.Accuracy> accuracies =
              Evaluation.evaluate(graph, vocabulary(), validation, toEvaluate, cot);
          for (int m = 0; m < k; m++) {
            if (!toEvaluate[m]) {
              continue;
            }
            MemberState s = state.members.get(m);
            Evaluation.Accuracy accuracy = accuracies.get(m);
            s.validation = accuracy.asMap();
            s.history.add(accuracy.overall());
            s.streak = accuracy.overall() >= config.targetAccuracy() ? s.streak + 1 : 0;
            if (s.streak >= config.patience()) {
              s.earlyStopped = true;
              s.active = false;
            }
            metrics.accept(
                m,
                new MetricsLine(
                    step,
                    s.lossCount == 0 ? null : s.lossSum / s.lossCount,
                    schedules[m].at(step - 1),
                    accuracy.asMap(),
                    (System.nanoTime() - start) / 1e9,
                    tokens(m, s.steps, s.trainNanos)));
            s.lossSum = 0;
            s.lossCount = 0;
          }
        }
        boolean saved =
            checkpoints != null && (step % checkpoints.every() == 0) && step < config.steps();
        if (saved) {
          checkpoints.save(session, step, state);
        }
        if (bar != null) {
          bar.stepTo(step);
          if (fetch) {
            bar.setExtraMessage(progressMessage(state));
          }
        }
        afterStep.accept(step);
        if (step < config.steps()
            && state.members.stream().anyMatch(s -> s.active)
            && stopRequested.getAsBoolean()) {
          if (checkpoints != null && !saved) {
            checkpoints.save(session, step, state);
          }
          throw StopSignal.stoppedAt(step);
        }
      }
    }
    boolean[] all = new boolean[k];
    for (int m = 0; m < k; m++) {
      all[m] = state.members.get(m).divergedStep == null;
    }
    List<Evaluation.Accuracy> tests = Evaluation.evaluate(graph, vocabulary(), test, all, cot);
    double wall = (System.nanoTime() - start) / 1e9;
    List<Outcome> outcomes = new ArrayList<>();
    for (int m = 0; m < k; m++) {
      MemberState s = state.members.get(m);
      if (s.divergedStep != null) {
        outcomes.add(new Outcome(null, s.divergedStep, s.reason));
        continue;
      }
      outcomes.add(
          new Outcome(
              new Result(
                  modelConfig.parameterCount(),
                  s.steps,
                  s.earlyStopped,
                  s.earlyStopped || plateaued(s.history),
                  tests.get(m).asMap(),
                  majority(members.get(m).task()),
                  s.validation == null ? Map.of() : s.validation,
                  s.lastLoss,
                  wall,
                  s.trainNanos / 1e9,
                  tokens(m, s.steps, s.trainNanos),
                  null),
              null,
              null));
    }
    return outcomes;
  }

  /**
   * Member m's rows {@code [B, length]} (and mask) into slice m, drawn from its stream; padded to
   * the stack's length.
   */
  private void fillRows(
      ListOpsTask task, SplittableRandom random, int[] indices, int[] ids, float[] mask, int m) {
    int b = indices.length;
    for (int i = 0; i < b; i++) {
      indices[i] = random.nextInt(task.trainSize());
    }
    int own = task.length();
    int offset = m * b * length;
    if (own == length) {
      int[] rowIds = new int[b * length];
      float[] rowMask = new float[b * length];
      task.trainBatch(indices, config.lossOn(), rowIds, rowMask);
      System.arraycopy(rowIds, 0, ids, offset, rowIds.length);
      System.arraycopy(rowMask, 0, mask, offset, rowMask.length);
      return;
    }
    int[] rowIds = new int[b * own];
    float[] rowMask = new float[b * own];
    task.trainBatch(indices, config.lossOn(), rowIds, rowMask);
    for (int r = 0; r < b; r++) {
      int to = offset + r * length;
      Arrays.fill(ids, to, to + length, Vocabulary.PAD);
      Arrays.fill(mask, to, to + length, 0f);
      System.arraycopy(rowIds, r * own, ids, to, own);
      System.arraycopy(rowMask, r * own, mask, to, own);
    }
  }

  /** The vocabulary of the stack: every member's task shares the graph's token ids. */
  private Vocabulary vocabulary() {
    return members.get(0).task().tokenizer().vocabulary();
  }

  private static Map<ListOperator, EncodedBatch> encode(
      ListOpsTask task, Map<ListOperator, Split> splits) {
    Map<ListOperator, EncodedBatch> out = new LinkedHashMap<>();
    for (ListOperator op : task.operators()) {
      Split split = splits.get(op);
      if (split != null && split.size() > 0) {
        out.put(op, task.encode(split));
      }
    }
    return out;
  }

  /** Member m's current weights by variable name, in the member's own shapes. */
  public Map<String, float[]> weights(int member) {
    return graph.weights(member);
  }

  /**
   * Member m as a model of its own: a serving graph in a new session (the caller closes it) holding
   * its weights.
   */
  public ServingGraph serving(int member) {
    return ServingGraph.of(
        session.config(), modelConfig, members.get(member).seed(), weights(member));
  }

  private static boolean hasValidation(ListOpsTask task) {
    return task.validation().values().stream().anyMatch(s -> s.size() > 0);
  }

  private double tokens(int member, int steps, long nanos) {
    return nanos == 0
        ? 0
        : (double) steps
            * config.batch()
            * (members.get(member).task().length() - 1)
            / (nanos / 1e9);
  }

  private static boolean anyTrue(boolean[] flags) {
    for (boolean f : flags) {
      if (f) {
        return true;
      }
    }
    return false;
  }

  /**
   * The progress bar's message: a model's loss and validation accuracy, a stack's active members
   * and mean loss.
   */
  private static String progressMessage(LoopState state) {
    if (state.members.size() == 1) {
      MemberState s = state.members.get(0);
      return String.format(
          "loss %.4f%s",
          s.lastLoss,
          s.validation == null ? "" : String.format(" val %.3f", s.validation.get("overall")));
    }
    List<MemberState> active = state.members.stream().filter(s -> s.active).toList();
    return String.format(
        "%d active, mean loss %.4f",
        active.size(), active.stream().mapToDouble(s -> s.lastLoss).average().orElse(Double.NaN));
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

  /**
   * Majority-class accuracy of each operator's test set of {@code task}, and overall (weighted by
   * size).
   */
  static Map<String, Double> majority(ListOpsTask task) {
    Map<String, Double> per = new LinkedHashMap<>();
    double right = 0;
    int total = 0;
    for (ListOperator op : task.operators()) {
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

  private static ProgressBar bar(int steps) {
    return new ProgressBarBuilder()
        .setTaskName("train")
        .setInitialMax(steps)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(500)
        .continuousUpdate()
        .build();
  }
}
