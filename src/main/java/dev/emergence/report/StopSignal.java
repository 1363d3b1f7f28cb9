package dev.emergence.report;

import java.util.function.BooleanSupplier;
import sun.misc.Signal;

/**
 * A request to stop, as a scheduler sends it (Slurm at preemption or time limit, Kubernetes at
 * eviction: SIGTERM) or a person does (Ctrl-C: SIGINT). {@link #install} replaces the JVM's
 * handlers for both: the first signal is only recorded, and a long command checks {@link
 * #requested} between its units of work (a training step, a cell), saves what it has and throws
 * {@link RunDirectory.Stopped}; a second SIGINT halts at once with status 130; further SIGTERMs are
 * ignored.
 */
public final class StopSignal {
  private static volatile Signal received;
  private static boolean installed;

  private StopSignal() {}

  /** Installs the handlers for TERM and INT (once per JVM; later calls do nothing). */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(
          new Signal(name),
          signal -> {
            // a second SIGINT (Ctrl-C again) halts; SIGTERM often comes twice (Slurm signals every
            // process of the
            // step, and the batch script forwards it), and a scheduler's SIGKILL after its grace is
            // the hard stop
            if (received != null && signal.getName().equals("INT")) {
              Runtime.getRuntime().halt(128 + signal.getNumber());
            }
            if (received == null) {
              received = signal;
            }
          });
    }
  }

  /** Whether a stop signal arrived. */
  public static boolean requested() {
    return received != null;
  }

  /** {@link #requested} as a supplier, what the trainers take (tests pass their own). */
  public static BooleanSupplier supplier() {
    return StopSignal::requested;
  }

  /**
   * The exception that ends a run stopped at {@code step}: by the signal received, or (a stop
   * requested without a signal, as tests do) as if by SIGTERM.
   */
  public static RunDirectory.Stopped stoppedAt(long step) {
    Signal signal = received;
    return signal == null
        ? new RunDirectory.Stopped(step, "TERM", 143)
        : new RunDirectory.Stopped(step, signal.getName(), 128 + signal.getNumber());
  }
}
