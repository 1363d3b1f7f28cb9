package dev.emergence.reparam.method;

import dev.emergence.reparam.Problem;
import dev.emergence.reparam.Trace;
import java.util.Optional;

/**
 * The trace and the stopping rule ({@link Progress}) for methods that iterate in plain Java
 * (L-BFGS, conjugate gradients): each iteration hands over its energy and x.
 */
final class PlainSteps {
  private final Progress progress;
  private final Optional<Problem.Watched> watched;

  /** Why the run stopped, once it has. */
  Progress.Stop stop;

  PlainSteps(Problem problem, Progress progress) {
    this.progress = progress;
    this.watched = problem.watched();
  }

  /**
   * The energy e and x before the first iteration: the trace's first entry and the divergence
   * limit.
   */
  void start(double e, double[] x) {
    progress.trace().add(0, progress.seconds(), progress.target().gap(e), watchedValue(0, x));
    progress.startStage(e);
  }

  /** After iteration {@code it} (1-based) at x with energy e: records it; true to stop. */
  boolean after(long it, double e, double[] x) {
    double wall = progress.seconds();
    double gap = progress.target().gap(e);
    stop =
        progress.arrived(e, x)
            ? Progress.Stop.reached(it, wall)
            : progress.stop(it, it, e, wall).orElse(null);
    progress.trace().add(it, wall, gap, watchedValue(it, x));
    return stop != null;
  }

  /** The watched quantity at x, at the log-spaced iterations and the last one; else NaN. */
  private double watchedValue(long it, double[] x) {
    return watched.isPresent() && (Trace.watchAt(it) || stop != null)
        ? watched.get().value().applyAsDouble(x)
        : Double.NaN;
  }
}
