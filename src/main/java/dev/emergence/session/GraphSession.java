package dev.emergence.session;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;

/**
 * One TensorFlow graph and the session that runs it. Owns both lifetimes and every tensor it
 * creates: {@link #run} closes its feeds and fetched tensors and returns copied values.
 *
 * <p>With {@link Device#GPU} every op built through {@link #tf()} is pinned to {@code /GPU:0} with
 * soft placement; the first run logs how many ops landed on each device, and warns once when no op
 * ran on a GPU.
 */
public final class GraphSession implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(GraphSession.class);

  private final SessionConfig config;
  private final Graph graph;
  private final Ops tf;
  private Session session;
  private Map<String, Integer> placement;

  public GraphSession(SessionConfig config) {
    Gradients.registerAll();
    this.config = config;
    this.graph = new Graph();
    Ops ops = Ops.create(graph);
    this.tf =
        config.device() == Device.GPU
            ? ops.withDevice(
                DeviceSpec.newBuilder()
                    .deviceType(DeviceSpec.DeviceType.GPU)
                    .deviceIndex(0)
                    .build())
            : ops;
  }

  /** Ops that build into this graph, on the configured device. */
  public Ops tf() {
    return tf;
  }

  public Graph graph() {
    return graph;
  }

  public SessionConfig config() {
    return config;
  }

  /** The session, created on first use so that it starts from the complete graph. */
  public Session session() {
    if (session == null) {
      ConfigProto.Builder proto =
          ConfigProto.newBuilder()
              .setIntraOpParallelismThreads(config.intraOpThreads())
              .setInterOpParallelismThreads(config.interOpThreads())
              .setAllowSoftPlacement(true)
              .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
      RewriterConfig rewriter = SessionConfig.rewriterConfig(config.rewriter());
      if (rewriter != null) {
        proto.setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(rewriter));
      }
      session = new Session(graph, proto.build());
    }
    return session;
  }

  /** Runs the targets, fetches the operands, closes the feeds and every tensor of the run. */
  public Fetched run(Feeds feeds, List<? extends Operand<?>> fetches, Op... targets) {
    // With --device gpu the first run is traced to log where its ops ran.
    boolean logPlacement = config.device() == Device.GPU && placement == null;
    return run(
        feeds, fetches, targets, logPlacement ? (metadata, nanos) -> logPlacement(metadata) : null);
  }

  /**
   * Runs the targets {@code runs} times with a full trace ({@code RunOptions} FULL_TRACE and run
   * metadata), each with fresh feeds, and returns where the op time went. Tracing slows the runs.
   */
  public OpProfile profile(Supplier<Feeds> feeds, int runs, Op... targets) {
    Preconditions.checkArgument(runs > 0, "profile needs at least one run, got %s", runs);
    OpProfile profile = new OpProfile();
    for (int i = 0; i < runs; i++) {
      run(feeds.get(), List.of(), targets, profile::add);
    }
    return profile;
  }

  /** Receives the metadata of a traced run and its wall time in nanoseconds. */
  private interface Trace {
    void accept(RunMetadata metadata, long nanos);
  }

  /** One run; traced when {@code trace} is not null. */
  private Fetched run(Feeds feeds, List<? extends Operand<?>> fetches, Op[] targets, Trace trace) {
    try (feeds) {
      Session.Runner runner = session().runner();
      feeds.tensors().forEach(runner::feed);
      fetches.forEach(runner::fetch);
      for (Op target : targets) {
        runner.addTarget(target);
      }
      if (trace != null) {
        runner.setOptions(
            RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
      }
      long start = System.nanoTime();
      try (Result result = trace != null ? runner.runAndFetchMetadata() : runner.run()) {
        if (trace != null) {
          trace.accept(
              result.getMetadata().orElse(RunMetadata.getDefaultInstance()),
              System.nanoTime() - start);
        }
        ImmutableMap.Builder<Output<?>, Fetched.Value> values = ImmutableMap.builder();
        for (int i = 0; i < fetches.size(); i++) {
          Tensor tensor = result.get(i);
          values.put(fetches.get(i).asOutput(), Fetched.copy(tensor));
        }
        return new Fetched(values.buildKeepingLast());
      }
    }
  }

  /** Runs targets with nothing fed or fetched. */
  public void run(Op... targets) {
    run(Feeds.of(), List.of(), targets);
  }

  /**
   * Ops per device seen in the first traced run, or an empty map before it (CPU runs are not
   * traced).
   */
  public Map<String, Integer> placement() {
    return placement == null ? Map.of() : placement;
  }

  private void logPlacement(RunMetadata metadata) {
    placement = new TreeMap<>();
    for (DeviceStepStats device : metadata.getStepStats().getDevStatsList()) {
      placement.merge(
          shortDeviceName(device.getDevice()), device.getNodeStatsCount(), Integer::sum);
    }
    LOG.info("op placement (ops per device): {}", placement);
    if (placement.keySet().stream().noneMatch(name -> name.contains("GPU"))) {
      LOG.warn("--device gpu: no GPU is visible to TensorFlow; running on the CPU (same numbers)");
    }
  }

  private static String shortDeviceName(String device) {
    int at = device.indexOf("device:");
    return at < 0 ? device : device.substring(at + "device:".length());
  }

  /** Saves every variable under a checkpoint prefix (a path plus file stem). */
  public void save(String prefix) {
    session().save(prefix);
  }

  /** Restores every variable from a checkpoint prefix written by {@link #save}. */
  public void restore(String prefix) {
    session().restore(prefix);
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
    graph.close();
  }
}
