package dev.emergence.experiments;

import dev.emergence.nn.GptConfig;
import dev.emergence.optim.AdamW;
import dev.emergence.optim.AdamWConfig;
import dev.emergence.report.Json;
import dev.emergence.session.GraphSession;
import dev.emergence.train.GptGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Training throughput of one transformer shape on random tokens (the loss on every position, as the
 * PyTorch peer's), printed as JSON on the last line. Each step feeds one of a few pre-built random
 * batches, as training does.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Training throughput of a transformer shape on random tokens; last line is JSON.")
public final class Bench implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--layers", description = "Blocks (default: ${DEFAULT-VALUE}).")
  int layers = 2;

  @Option(names = "--d-model", description = "Width (default: ${DEFAULT-VALUE}).")
  int dModel = 64;

  @Option(names = "--heads", description = "Attention heads (default: ${DEFAULT-VALUE}).")
  int heads = 4;

  @Option(names = "--seq", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
  int seq = 64;

  @Option(names = "--batch", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
  int batch = 64;

  @Option(names = "--vocab", description = "Vocabulary size (default: ${DEFAULT-VALUE}).")
  int vocab = 32;

  @Option(names = "--steps", description = "Timed steps (default: ${DEFAULT-VALUE}).")
  int steps = 50;

  @Option(names = "--warmup", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
  int warmup = 10;

  @Option(names = "--loops", description = "Applications of the block stack (default: ${DEFAULT-VALUE}).")
  int loops = 1;

  @Option(names = "--untied", description = "Separate output head instead of the tied token table.")
  boolean untied;

  @Option(names = "--fetch-every", description = "Fetch the loss every k steps (default: ${DEFAULT-VALUE}).")
  int fetchEvery = 1;

  @Option(names = "--inter-threads", description = "Inter-op threads, if not --threads (independent ops run concurrently).")
  Integer interThreads;

  @Option(names = "--profile", description = "Trace a few steps and print the time per op type to stderr.")
  boolean profile;

  @Option(names = "--profile-top", description = "Slowest single ops listed by --profile (default: ${DEFAULT-VALUE}).")
  int profileTop = 20;

  @Override
  public Integer call() {
    GptConfig config = new GptConfig(vocab, seq, layers, heads, dModel, 4, !untied, loops, 0.0);
    int length = seq + 1;
    SplittableRandom random = new SplittableRandom(common.seed);
    int pool = 4;
    int[][] rows = new int[pool][batch * length];
    for (int[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        r[i] = random.nextInt(vocab);
      }
    }
    float[] mask = new float[batch * length];
    java.util.Arrays.fill(mask, 1f);
    dev.emergence.session.SessionConfig sessionConfig =
        new dev.emergence.session.SessionConfig(common.threads, interThreads == null ? common.threads : interThreads, common.device);
    try (GraphSession session = new GraphSession(sessionConfig)) {
      GptGraph graph = new GptGraph(session, config, batch, length, AdamWConfig.defaults(), common.seed);
      float loss = Float.NaN;
      for (int s = 0; s < warmup; s++) {
        loss = graph.trainStep(rows[s % pool], mask, 1e-3, true);
      }
      long start = System.nanoTime();
      long cpuStart = processCpuNanos();
      long[] stepNanos = new long[steps];
      for (int s = 0; s < steps; s++) {
        boolean fetch = (s + 1) % fetchEvery == 0 || s == steps - 1;
        long t0 = System.nanoTime();
        float l = graph.trainStep(rows[s % pool], mask, 1e-3, fetch);
        stepNanos[s] = System.nanoTime() - t0;
        if (fetch) {
          loss = l;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuMs = (processCpuNanos() - cpuStart) / 1e6 / steps;
      if (profile) {
        profile(session, graph, rows[0], mask);
      }
      double stepMs = 1000 * seconds / steps;
      double tokensPerS = (double) batch * seq * steps / seconds;
      double gflops = config.trainingFlops(batch, seq) / (stepMs / 1000) / 1e9;
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("layers", layers);
      out.put("d_model", dModel);
      out.put("heads", heads);
      out.put("seq", seq);
      out.put("batch", batch);
      out.put("vocab", vocab);
      out.put("steps", steps);
      out.put("threads", common.threads);
      out.put("inter_threads", sessionConfig.interOpThreads());
      out.put("params", config.parameterCount());
      out.put("step_ms", round(stepMs, 3));
      out.put("cpu_ms_per_step", round(cpuMs, 3));
      long[] sorted = stepNanos.clone();
      java.util.Arrays.sort(sorted);
      out.put("median_step_ms", round(sorted[steps / 2] / 1e6, 3));
      out.put("tokens_per_s", round(tokensPerS, 1));
      out.put("gflops", round(gflops, 2));
      out.put("flops_per_step", config.trainingFlops(batch, seq));
      out.put("final_loss", round(loss, 4));
      java.io.PrintWriter stdout = spec.commandLine().getOut();
      stdout.printf(
          "bench: %d layers, d=%d, %d heads, T=%d, B=%d, vocab %d, %d params: %.2f ms/step, %.0f tokens/s, %.1f GFLOP/s%n",
          layers, dModel, heads, seq, batch, vocab, config.parameterCount(), stepMs, tokensPerS, gflops);
      stdout.println(Json.line(new TreeMap<>(out)));
      stdout.flush();
    }
    return 0;
  }

  /** CPU time of the whole process (TensorFlow's threads included): a check on wall time when others share the machine. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }

  /** Runs traced steps and prints the summed time per op type (what the step spends its time on). */
  private void profile(GraphSession session, GptGraph graph, int[] rows, float[] mask) {
    Map<String, Long> micros = new TreeMap<>();
    Map<String, Integer> counts = new TreeMap<>();
    Map<String, Long> nodes = new TreeMap<>();
    int traced = 5;
    long wall = 0;
    for (int s = 0; s < traced; s++) {
      try (TInt32 ids = TInt32.tensorOf(Shape.of(batch, seq + 1), DataBuffers.of(rows, true, false));
          TFloat32 m = TFloat32.tensorOf(Shape.of(batch, seq + 1), DataBuffers.of(mask, true, false));
          TFloat32 lr = TFloat32.scalarOf(1e-3f)) {
        Session.Runner runner =
            session.session().runner().feed(graph.ids, ids).feed(graph.mask, m).feed(graph.learningRate, lr).addTarget(graph.step);
        runner.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
        long t0 = System.nanoTime();
        try (Result result = runner.runAndFetchMetadata()) {
          wall += System.nanoTime() - t0;
          for (DeviceStepStats device : result.getMetadata().orElseThrow().getStepStats().getDevStatsList()) {
            for (NodeExecStats node : device.getNodeStatsList()) {
              String type = node.getTimelineLabel().contains("= ") ? node.getTimelineLabel().split("= ")[1].split("\\(")[0] : node.getNodeName();
              micros.merge(type, node.getAllEndRelMicros(), Long::sum);
              nodes.merge(type + " " + node.getNodeName() + " " + node.getTimelineLabel(), node.getAllEndRelMicros(), Long::sum);
              counts.merge(type, 1, Integer::sum);
            }
          }
        }
      }
    }
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(micros.entrySet());
    sorted.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    long total = sorted.stream().mapToLong(Map.Entry::getValue).sum();
    System.err.printf("profile: %d traced steps, %.2f ms/step wall (tracing adds overhead), op time %.2f ms/step, %d ops/step%n",
        traced, wall / 1e6 / traced, total / 1e3 / traced, counts.values().stream().mapToInt(Integer::intValue).sum() / traced);
    for (Map.Entry<String, Long> e : sorted.subList(0, Math.min(25, sorted.size()))) {
      System.err.printf("  %-34s %8.3f ms/step %5d ops/step%n", e.getKey(), e.getValue() / 1e3 / traced, counts.get(e.getKey()) / traced);
    }
    List<Map.Entry<String, Long>> slowest = new ArrayList<>(nodes.entrySet());
    slowest.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    System.err.println("profile: slowest ops");
    for (Map.Entry<String, Long> e : slowest.subList(0, Math.min(profileTop, slowest.size()))) {
      System.err.printf("  %8.3f ms/step  %s%n", e.getValue() / 1e3 / traced, e.getKey());
    }
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new Bench(), args);
  }
}
