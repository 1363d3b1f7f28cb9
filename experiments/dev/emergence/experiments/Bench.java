package dev.emergence.experiments;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.google.common.base.Preconditions;
import dev.emergence.nn.GptConfig;
import dev.emergence.optim.AdamWConfig;
import dev.emergence.report.Json;
import dev.emergence.session.GraphSession;
import dev.emergence.train.TrainConfig;
import dev.emergence.train.TrainingGraph;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Training throughput of one transformer shape on random tokens (the loss on every position, as the
 * PyTorch peer's), printed as JSON on the last line. Each step feeds one of a few pre-built random
 * batches, as training does.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Training throughput of a transformer shape on random tokens; last line is JSON.")
public final class Bench implements Callable<Integer> {
  /**
   * The documented bench shape: 2 layers, d_model 64, 4 heads, T 64, vocabulary 32 (106,240
   * parameters).
   */
  static final GptConfig SHAPE = GptConfig.of(32, 64, 2, 4, 64);

  @Mixin CommonOptions common = new CommonOptions();
  @Mixin GptShapeOptions shape = new GptShapeOptions(SHAPE);

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--seq", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
  int seq = SHAPE.context();

  @Option(names = "--batch", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
  int batch = 64;

  @Option(names = "--vocab", description = "Vocabulary size (default: ${DEFAULT-VALUE}).")
  int vocab = SHAPE.vocab();

  @Option(names = "--steps", description = "Timed steps (default: ${DEFAULT-VALUE}).")
  int steps = 50;

  @Option(names = "--warmup", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
  int warmup = 10;

  @Option(
      names = "--fetch-every",
      description = "Fetch the loss every k steps (default: ${DEFAULT-VALUE}).")
  int fetchEvery = 1;

  @Option(
      names = "--inter-threads",
      description = "Inter-op threads, if not --threads (independent ops run concurrently).")
  Integer interThreads;

  @Option(
      names = "--models",
      description =
          "Models trained as one stack (a leading model axis on every weight; seeds --seed, --seed+1, ...) (default: ${DEFAULT-VALUE}).")
  int models = 1;

  @Option(
      names = "--loss",
      description =
          "all: the language-model loss on every position (the peer's); answer: the study's step, loss on the 2 positions after '=' near the end of each row, answer-only path (default: ${DEFAULT-VALUE}).")
  TrainConfig.LossOn loss = TrainConfig.LossOn.ALL;

  @Option(
      names = "--rewriter",
      split = ",",
      description =
          "Grappler rewriter options as name=value (RewriterConfig fields: remapping=OFF, arithmetic_optimization=OFF, layout_optimizer=OFF, constant_folding=OFF, disable_meta_optimizer=true, ...); default: TensorFlow's.")
  Map<String, String> rewriter = new LinkedHashMap<>();

  @Option(
      names = "--profile",
      description = "Trace a few steps and print the time per op type to stderr.")
  boolean profile;

  @Option(
      names = "--profile-top",
      description = "Slowest single ops listed by --profile (default: ${DEFAULT-VALUE}).")
  int profileTop = 20;

  @Override
  public Integer call() {
    checkOptions();
    GptConfig config = shape.config(vocab, seq);
    int length = seq + 1;
    SplittableRandom random = new SplittableRandom(common.seed);
    int pool = 4;
    dev.emergence.session.SessionConfig sessionConfig =
        new dev.emergence.session.SessionConfig(
            common.threads,
            interThreads == null ? common.threads : interThreads,
            common.device,
            rewriter);
    int k = models;
    int answerPositions = loss == TrainConfig.LossOn.ANSWER ? 2 : 0;
    int[][] stackRows = new int[pool][k * batch * length];
    float[] stackMask = new float[k * batch * length];
    for (int[] r : stackRows) {
      for (int i = 0; i < r.length; i++) {
        r[i] = random.nextInt(vocab);
      }
    }
    for (int row = 0; row < k * batch; row++) {
      if (answerPositions == 0) {
        java.util.Arrays.fill(stackMask, row * length, row * length + seq, 1f);
      } else { // '=' somewhere in the last quarter, the answer and <end> after it, as ListOps rows
        int equals = seq * 3 / 4 + random.nextInt(Math.max(1, seq - 1 - seq * 3 / 4));
        stackMask[row * length + equals] = 1f;
        stackMask[row * length + equals + 1] = 1f;
      }
    }
    float[] lrs = new float[k];
    float[] active = new float[k];
    java.util.Arrays.fill(lrs, 1e-3f);
    java.util.Arrays.fill(active, 1f);
    double flopsPerStep =
        k
            * (answerPositions == 0
                ? config.trainingFlops(batch, seq)
                : config.answerOnlyTrainingFlops(batch, seq, answerPositions));
    long start;
    long cpuStart;
    long end;
    long cpuEnd;
    long[] stepNanos = new long[steps];
    float finalLoss = Float.NaN;
    try (GraphSession session = new GraphSession(sessionConfig)) {
      long[] seeds = new long[k];
      for (int m = 0; m < k; m++) {
        seeds[m] = common.seed + m;
      }
      TrainingGraph graph =
          new TrainingGraph(
              session, config, seeds, batch, length, AdamWConfig.defaults(), answerPositions, 1);
      java.util.function.IntFunction<Float> step =
          s -> {
            float[] l =
                graph.trainStep(
                    stackRows[Math.floorMod(s, pool)], stackMask, lrs, active, fetchAt(s));
            return l == null ? Float.NaN : mean(l);
          };
      for (int s = 0; s < warmup; s++) {
        finalLoss = step.apply(-1);
      }
      start = System.nanoTime();
      cpuStart = processCpuNanos();
      for (int s = 0; s < steps; s++) {
        long t0 = System.nanoTime();
        float l = step.apply(s);
        stepNanos[s] = System.nanoTime() - t0;
        if (fetchAt(s)) {
          finalLoss = l;
        }
      }
      end = System.nanoTime();
      cpuEnd = processCpuNanos();
      if (profile) {
        session
            .profile(() -> graph.trainFeeds(stackRows[0], stackMask, lrs, active), 5, graph.step)
            .print(spec.commandLine().getErr(), 25, profileTop);
      }
    }
    {
      double seconds = (end - start) / 1e9;
      double cpuMs = (cpuEnd - cpuStart) / 1e6 / steps;
      double stepMs = 1000 * seconds / steps;
      double tokensPerS = (double) k * batch * seq * steps / seconds;
      double gflops = flopsPerStep / (stepMs / 1000) / 1e9;
      long[] sorted = stepNanos.clone();
      java.util.Arrays.sort(sorted);
      Measured out =
          new Measured(
              config.layers(),
              config.dModel(),
              config.heads(),
              seq,
              batch,
              vocab,
              steps,
              common.threads,
              sessionConfig.interOpThreads(),
              config.parameterCount(),
              round(stepMs, 3),
              round(cpuMs, 3),
              round(sorted[steps / 2] / 1e6, 3),
              round(tokensPerS, 1),
              round(gflops, 2),
              flopsPerStep,
              k,
              loss.toString().toLowerCase(java.util.Locale.ROOT),
              round(k * steps / seconds, 2),
              round(finalLoss, 4),
              rewriter.toString(),
              String.valueOf(System.getenv("TF_ENABLE_ONEDNN_OPTS")));
      java.io.PrintWriter stdout = spec.commandLine().getOut();
      stdout.printf(
          "bench: %d layers, d=%d, %d heads, T=%d, B=%d, vocab %d, %d params: %.2f ms/step, %.0f tokens/s, %.1f GFLOP/s%n",
          config.layers(),
          config.dModel(),
          config.heads(),
          seq,
          batch,
          vocab,
          config.parameterCount(),
          stepMs,
          tokensPerS,
          gflops);
      stdout.println(Json.line(out));
      stdout.flush();
    }
    return 0;
  }

  /** The JSON line: the shape, the threads, and what one step cost. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder(alphabetic = true)
  record Measured(
      int layers,
      int dModel,
      int heads,
      int seq,
      int batch,
      int vocab,
      int steps,
      int threads,
      int interThreads,
      long params,
      double stepMs,
      double cpuMsPerStep,
      double medianStepMs,
      double tokensPerS,
      double gflops,
      double flopsPerStep,
      int models,
      String loss,
      double modelStepsPerS,
      double finalLoss,
      String rewriter,
      String onednnOpts) {}

  /**
   * Fetch the loss on the last timed step and every --fetch-every steps (warm-up steps, s = -1,
   * always).
   */
  private boolean fetchAt(int s) {
    return s < 0 || (s + 1) % fetchEvery == 0 || s == steps - 1;
  }

  private static float mean(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += v;
    }
    return (float) (sum / values.length);
  }

  /**
   * CPU time of the whole process (TensorFlow's threads included): a check on wall time when others
   * share the machine.
   */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Every numeric option, before any work. */
  private void checkOptions() {
    Preconditions.checkArgument(steps >= 1, "--steps must be at least 1, got %s", steps);
    Preconditions.checkArgument(warmup >= 0, "--warmup must be at least 0, got %s", warmup);
    Preconditions.checkArgument(
        fetchEvery >= 1, "--fetch-every must be at least 1, got %s", fetchEvery);
    Preconditions.checkArgument(batch >= 1, "--batch must be at least 1, got %s", batch);
    Preconditions.checkArgument(seq >= 1, "--seq must be at least 1, got %s", seq);
    Preconditions.checkArgument(vocab >= 2, "--vocab must be at least 2, got %s", vocab);
    Preconditions.checkArgument(models >= 1, "--models must be at least 1, got %s", models);
    Preconditions.checkArgument(
        loss == TrainConfig.LossOn.ALL || seq >= 4,
        "--loss answer needs --seq of at least 4 (the answer sits near the end), got %s",
        seq);
    Preconditions.checkArgument(
        profileTop >= 0, "--profile-top must be at least 0, got %s", profileTop);
    common.sessionConfig();
  }

  private static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new Bench(), args);
  }
}
