package dev.emergence.session;

import com.google.common.base.Preconditions;

/**
 * How a TensorFlow session runs: thread pools and device. On two cores, one intra-op and one
 * inter-op thread is fastest for the small models of the capacity study.
 */
public record SessionConfig(int intraOpThreads, int interOpThreads, Device device) {
  public SessionConfig {
    Preconditions.checkArgument(
        intraOpThreads >= 1, "intra-op threads must be at least 1, got %s", intraOpThreads);
    Preconditions.checkArgument(
        interOpThreads >= 1, "inter-op threads must be at least 1, got %s", interOpThreads);
    Preconditions.checkNotNull(device, "device");
  }

  public static SessionConfig cpu(int threads) {
    return new SessionConfig(threads, threads, Device.CPU);
  }

  public static SessionConfig defaults() {
    return cpu(1);
  }
}
