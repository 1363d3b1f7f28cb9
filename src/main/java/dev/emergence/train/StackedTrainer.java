package dev.emergence.train;

import com.google.common.base.Preconditions;
import dev.emergence.listops.EncodedBatch;
import dev.emergence.listops.Operator;
import dev.emergence.listops.Split;
import dev.emergence.listops.Vocabulary;
import dev.emergence.nn.GptConfig;
import dev.emergence.optim.LearningRateSchedule;
import dev.emergence.report.Json;
import dev.emergence.session.GraphSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import me.tongfei.progressbar.ProgressBar;

/**
 * Trains K models of one shape as one stack ({@link TrainingGraph}): each member its own seed (initial
 * weights and row stream as {@link Trainer} with that seed), its own task (data set, operator mix),
 * its own learning rate, its own validation, early stop and result. Member k follows exactly the loop
 * of {@link Trainer} with its seed: the same rows each step, the same schedule, the loss fetched and
 * validated at the same steps; a member that stops early (or diverges) is frozen while the others go
 * on. Without chain of thought and with the loss on the answer, the step takes the answer-only path.
 *
 * <p>With a checkpoint directory the stack saves its variables and loop state every {@code every}
 * steps, and {@link #run} continues from the last checkpoint found there.
 */
public final class StackedTrainer {
  /** One member: its seed, peak learning rate and task (whose data seed is usually the same seed). */
  public record Member(long seed, double learningRate, ListOpsTask task) {}

  /** What happened to a member: its result, or the step and reason it diverged (result null). */
  public record Outcome(Trainer.Result result, Integer divergedStep, String reason) {
    public boolean diverged() {
      return divergedStep != null;
    }
  }

  /** Receives member k's metrics lines (the single trainer's lines). */
  public interface Metrics {
    void accept(int member, Map<String, Object> line);
  }

  /** Save every {@code every} steps into {@code dir}; resume from it when it holds a checkpoint. */
  public record Checkpoints(Path dir, int every) {
    public Checkpoints {
      Preconditions.checkArgument(every >= 1, "checkpoint interval must be at least 1 step, got %s", every);
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

  public static final String CHECKPOINT = "checkpoint.json";
  private static final int EVAL_ROWS = 500;

  private final GraphSession session;
  private final GptConfig modelConfig;
  private final TrainConfig config;
  private final List<Member> members;
  private final TrainingGraph graph;
  private final int length;

  public StackedTrainer(GraphSession session, GptConfig modelConfig, TrainConfig config, List<Member> members) {
    Preconditions.checkArgument(!members.isEmpty(), "a stack needs at least one member");
    int length = 0;
    boolean answerOnly = config.lossOn() == TrainConfig.LossOn.ANSWER;
    int positions = 0;
    for (Member m : members) {
      ListOpsTask task = m.task();
      Preconditions.checkArgument(
          modelConfig.vocab() == task.vocab(), "model vocabulary %s does not match the task's %s (seed %s)", modelConfig.vocab(), task.vocab(), m.seed());
      Preconditions.checkArgument(task.trainSize() > 0, "the training split of seed %s is empty", m.seed());
      Preconditions.checkArgument(
          !task.cot(), "chain-of-thought models are not stacked yet (evaluation decodes step by step): train them one at a time");
      length = Math.max(length, task.length());
      if (answerOnly) {
        positions = Math.max(positions, task.maxAnswerPositions());
      }
    }
    this.session = session;
    this.modelConfig = modelConfig;
    this.config = config;
    this.members = List.copyOf(members);
    this.length = length;
    long[] seeds = members.stream().mapToLong(Member::seed).toArray();
    this.graph = new TrainingGraph(session, modelConfig, seeds, config.batch(), length, config.adam(), answerOnly ? Math.max(positions, 1) : 0, EVAL_ROWS);
  }

  public TrainingGraph graph() {
    return graph;
  }

  /** Rows per member: the longest row of any member's task (shorter rows are padded, without loss). */
  public int length() {
    return length;
  }

  public List<Member> members() {
    return members;
  }

  /** The member's schedule: the stack's, at the member's peak learning rate. */
  public LearningRateSchedule schedule(int member) {
    return config.toBuilder().learningRate(members.get(member).learningRate()).build().schedule();
  }

  public List<Outcome> run(Metrics metrics, boolean progress) {
    return run(metrics, progress, null);
  }

  /** Trains every member to its end (budget, early stop or divergence); then tests each. */
  public List<Outcome> run(Metrics metrics, boolean progress, Checkpoints checkpoints) {
    long start = System.nanoTime();
    int k = members.size();
    int b = config.batch();
    LearningRateSchedule[] schedules = new LearningRateSchedule[k];
    SplittableRandom[] randoms = new SplittableRandom[k];
    List<Map<Operator, EncodedBatch>> validation = new ArrayList<>();
    List<Map<Operator, EncodedBatch>> test = new ArrayList<>();
    for (int m = 0; m < k; m++) {
      schedules[m] = schedule(m);
      randoms[m] = new SplittableRandom(members.get(m).seed() * 0x9E3779B97F4A7C15L + 0x5EED); // as Trainer
      validation.add(encode(members.get(m).task(), members.get(m).task().validation()));
      test.add(encode(members.get(m).task(), members.get(m).task().test()));
    }
    LoopState state = checkpoints == null ? null : restore(checkpoints);
    if (state == null) {
      state = new LoopState();
      for (int m = 0; m < k; m++) {
        state.members.add(new MemberState());
      }
    } else {
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
    try (ProgressBar bar = progress ? Trainer.bar(config.steps()) : null) {
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
        boolean fetch = (step + 1) % config.lossEvery() == 0 || (step + 1) % config.evalEvery() == 0 || step + 1 == config.steps();
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
              s.reason = "training loss became " + loss + " at step " + step + "; lower the learning rate (--lr)";
              continue;
            }
            s.lossSum += loss;
            s.lossCount++;
            s.lastLoss = loss;
          }
          toEvaluate[m] = evaluate && hasValidation(members.get(m).task());
        }
        if (anyTrue(toEvaluate)) {
          List<Evaluation.Accuracy> accuracies = evaluate(validation, toEvaluate);
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
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("step", step);
            line.put("loss", s.lossCount == 0 ? null : s.lossSum / s.lossCount);
            line.put("lr", schedules[m].at(step - 1));
            line.put("val_accuracy", accuracy.asMap());
            line.put("elapsed_s", (System.nanoTime() - start) / 1e9);
            line.put("tokens_per_s", tokens(m, s.steps, s.trainNanos));
            metrics.accept(m, line);
            s.lossSum = 0;
            s.lossCount = 0;
          }
        }
        if (checkpoints != null && (step % checkpoints.every() == 0) && step < config.steps()) {
          save(checkpoints, state);
        }
        if (bar != null) {
          bar.stepTo(step);
          if (fetch) {
            bar.setExtraMessage(String.format("%d active, mean loss %.4f", activeCount(state), meanLoss(state)));
          }
        }
      }
    }
    boolean[] all = new boolean[k];
    for (int m = 0; m < k; m++) {
      all[m] = state.members.get(m).divergedStep == null;
    }
    List<Evaluation.Accuracy> tests = evaluate(test, all);
    double wall = (System.nanoTime() - start) / 1e9;
    List<Outcome> outcomes = new ArrayList<>();
    for (int m = 0; m < k; m++) {
      MemberState s = state.members.get(m);
      if (s.divergedStep != null) {
        outcomes.add(new Outcome(null, s.divergedStep, s.reason));
        continue;
      }
      outcomes.add(new Outcome(
          new Trainer.Result(
              modelConfig.parameterCount(), s.steps, s.earlyStopped, s.earlyStopped || Trainer.plateaued(s.history),
              tests.get(m).asMap(), Trainer.majority(members.get(m).task()), s.validation == null ? Map.of() : s.validation,
              s.lastLoss, wall, s.trainNanos / 1e9, tokens(m, s.steps, s.trainNanos), null),
          null, null));
    }
    return outcomes;
  }

  /** Member m's rows {@code [B, length]} (and mask) into slice m, drawn as {@link Trainer} draws them; padded to the stack's length. */
  private void fillRows(ListOpsTask task, SplittableRandom random, int[] indices, int[] ids, float[] mask, int m) {
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
      java.util.Arrays.fill(ids, to, to + length, Vocabulary.PAD);
      java.util.Arrays.fill(mask, to, to + length, 0f);
      System.arraycopy(rowIds, r * own, ids, to, own);
      System.arraycopy(rowMask, r * own, mask, to, own);
    }
  }

  private static Map<Operator, EncodedBatch> encode(ListOpsTask task, Map<Operator, Split> splits) {
    Map<Operator, EncodedBatch> out = new LinkedHashMap<>();
    for (Operator op : task.operators()) {
      Split split = splits.get(op);
      if (split != null && split.size() > 0) {
        out.put(op, task.encode(split));
      }
    }
    return out;
  }

  /**
   * Exact-match accuracy of the answer (the greedy token at the first '=') of every member in {@code
   * which}, each on its own splits, all members in one run per chunk of rows.
   */
  List<Evaluation.Accuracy> evaluate(List<Map<Operator, EncodedBatch>> splits, boolean[] which) {
    int k = members.size();
    int e = graph.evalRows();
    int t = length - 1;
    List<List<EncodedBatch>> batches = new ArrayList<>();
    List<boolean[]> correct = new ArrayList<>();
    int chunks = 0;
    for (int m = 0; m < k; m++) {
      List<EncodedBatch> list = which[m] ? List.copyOf(splits.get(m).values()) : List.of();
      batches.add(list);
      int rows = list.stream().mapToInt(EncodedBatch::batchSize).sum();
      correct.add(new boolean[rows]);
      chunks = Math.max(chunks, (rows + e - 1) / e);
    }
    for (int c = 0; c < chunks; c++) {
      int[] inputs = new int[k * e * t];
      int[] at = new int[k * e];
      for (int m = 0; m < k; m++) {
        int row = 0;
        for (EncodedBatch batch : batches.get(m)) {
          for (int r = 0; r < batch.batchSize(); r++, row++) {
            int slot = row - c * e;
            if (slot < 0 || slot >= e) {
              continue;
            }
            System.arraycopy(batch.ids(), r * batch.length(), inputs, (m * e + slot) * t, Math.min(batch.length(), t));
            at[m * e + slot] = batch.equalsPositions()[r];
          }
        }
      }
      int[] predicted = graph.predictAt(inputs, at);
      for (int m = 0; m < k; m++) {
        int row = 0;
        for (EncodedBatch batch : batches.get(m)) {
          for (int r = 0; r < batch.batchSize(); r++, row++) {
            int slot = row - c * e;
            if (slot >= 0 && slot < e) {
              correct.get(m)[row] = predicted[m * e + slot] == Vocabulary.FIRST_NUMBER + batch.answers()[r];
            }
          }
        }
      }
    }
    List<Evaluation.Accuracy> out = new ArrayList<>();
    for (int m = 0; m < k; m++) {
      Map<String, Double> per = new LinkedHashMap<>();
      int row = 0;
      long right = 0;
      for (Map.Entry<Operator, EncodedBatch> entry : which[m] ? splits.get(m).entrySet() : Map.<Operator, EncodedBatch>of().entrySet()) {
        int n = 0;
        for (int r = 0; r < entry.getValue().batchSize(); r++, row++) {
          n += correct.get(m)[row] ? 1 : 0;
        }
        per.put(entry.getKey().name(), n / (double) entry.getValue().batchSize());
        right += n;
      }
      out.add(new Evaluation.Accuracy(row == 0 ? 0 : right / (double) row, per, row));
    }
    return out;
  }

  private static boolean hasValidation(ListOpsTask task) {
    return task.validation().values().stream().anyMatch(s -> s.size() > 0);
  }

  private double tokens(int member, int steps, long nanos) {
    return nanos == 0 ? 0 : (double) steps * config.batch() * (members.get(member).task().length() - 1) / (nanos / 1e9);
  }

  private static boolean anyTrue(boolean[] flags) {
    for (boolean f : flags) {
      if (f) {
        return true;
      }
    }
    return false;
  }

  private static long activeCount(LoopState state) {
    return state.members.stream().filter(s -> s.active).count();
  }

  private static double meanLoss(LoopState state) {
    return state.members.stream().filter(s -> s.active).mapToDouble(s -> s.lastLoss).average().orElse(Double.NaN);
  }

  /**
   * Saves the variables under {@code dir/step-N/variables} and then, atomically, {@code dir/checkpoint.json}
   * (the loop state and that prefix); the previous checkpoint is deleted after. A kill at any moment
   * leaves the last complete checkpoint.
   */
  private void save(Checkpoints checkpoints, LoopState state) {
    try {
      Path dir = checkpoints.dir();
      Path stepDir = dir.resolve("step-" + state.step);
      Files.createDirectories(stepDir);
      session.save(stepDir.resolve("variables").toString());
      Path file = dir.resolve(CHECKPOINT);
      String previous = Files.exists(file) ? Json.read(file).get("prefix").asText() : null;
      Map<String, Object> record = new LinkedHashMap<>();
      record.put("prefix", dir.relativize(stepDir.resolve("variables")).toString());
      record.put("state", state);
      Json.write(file, record);
      if (previous != null) {
        Path old = dir.resolve(previous).getParent();
        if (!old.equals(stepDir)) {
          dev.emergence.report.AtomicFiles.deleteRecursively(old);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a checkpoint under " + checkpoints.dir() + ": " + e.getMessage(), e);
    }
  }

  /** The loop state of the last checkpoint, with the variables restored; null when there is none. */
  private LoopState restore(Checkpoints checkpoints) {
    Path file = checkpoints.dir().resolve(CHECKPOINT);
    if (!Files.exists(file)) {
      return null;
    }
    com.fasterxml.jackson.databind.JsonNode record = Json.read(file);
    LoopState state = Json.mapper().convertValue(record.get("state"), LoopState.class);
    Preconditions.checkArgument(
        state.members.size() == members.size(),
        "the checkpoint in %s holds %s members, this stack has %s: resume with the same seeds",
        checkpoints.dir(), state.members.size(), members.size());
    session.restore(checkpoints.dir().resolve(record.get("prefix").asText()).toString());
    return state;
  }
}
