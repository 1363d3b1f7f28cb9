package dev.emergence.reparam.method;

import com.google.common.base.Preconditions;
import dev.emergence.session.Device;
import dev.emergence.session.SessionConfig;

/**
 * How a method's graph runs.
 *
 * @param threads TensorFlow's intra-op and inter-op threads
 * @param graphOptimizer run TensorFlow's graph optimizer (grappler) before a method's first step
 *     (on by default: switching it off made the first session run slower at 128^2, 0.85-1.49 s
 *     against 0.34-0.58 s in three alternating pairs)
 * @param fastStep the cheaper step: fused optimizer kernels, the problem's own gradient seeded into
 *     the GNN's backpropagation, the read-out as a sum of per-layer products (the same function and
 *     iterates to float rounding); false builds the step as first written ({@code
 *     --reference-step})
 */
public record Execution(int threads, Device device, boolean graphOptimizer, boolean fastStep) {
  public static final Execution DEFAULTS = of(SessionConfig.defaults(), true, true);

  public Execution {
    Preconditions.checkArgument(threads >= 1, "--threads must be at least 1, got %s", threads);
    Preconditions.checkNotNull(device, "no device given");
  }

  /** The threads and device of a session config (its intra-op threads for both pools). */
  public static Execution of(SessionConfig session, boolean graphOptimizer, boolean fastStep) {
    return new Execution(session.intraOpThreads(), session.device(), graphOptimizer, fastStep);
  }

  /** The session a method opens. */
  SessionConfig session() {
    return new SessionConfig(threads, threads, device).withGraphOptimizer(graphOptimizer);
  }
}
