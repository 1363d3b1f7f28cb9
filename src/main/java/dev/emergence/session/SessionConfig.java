package dev.emergence.session;

import com.google.common.base.Preconditions;

/**
 * How a TensorFlow session runs: thread pools, device, and whether TensorFlow's graph optimizer
 * (grappler's meta-optimizer) rewrites the graph before the first run. On two cores, one intra-op and
 * one inter-op thread is fastest for the small models of the capacity study.
 *
 * @param graphOptimizer false sets {@code rewrite_options.disable_meta_optimizer}: the first run skips
 *     grappler's passes (constant folding, arithmetic and layout rewrites, remapping); graph-level
 *     passes such as the oneDNN (MKL) rewrite still run
 */
public record SessionConfig(int intraOpThreads, int interOpThreads, Device device, boolean graphOptimizer) {
  public SessionConfig {
    Preconditions.checkArgument(
        intraOpThreads >= 1, "intra-op threads must be at least 1, got %s", intraOpThreads);
    Preconditions.checkArgument(
        interOpThreads >= 1, "inter-op threads must be at least 1, got %s", interOpThreads);
    Preconditions.checkNotNull(device, "device");
  }

  /** With TensorFlow's graph optimizer on. */
  public SessionConfig(int intraOpThreads, int interOpThreads, Device device) {
    this(intraOpThreads, interOpThreads, device, true);
  }

  public static SessionConfig cpu(int threads) {
    return new SessionConfig(threads, threads, Device.CPU);
  }

  public static SessionConfig defaults() {
    return cpu(1);
  }

  public SessionConfig withGraphOptimizer(boolean on) {
    return new SessionConfig(intraOpThreads, interOpThreads, device, on);
  }
}
