package dev.emergence.reparam.method;

import dev.emergence.reparam.Problem;
import dev.emergence.reparam.Trace;
import dev.emergence.session.Feeds;
import dev.emergence.session.Fetched;
import dev.emergence.session.GraphSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * Steps one stage's graph until {@link Progress}'s stopping rule ends it, or (for the GNN stage) a
 * plateau. Each step is one session run that applies the update and fetches the float64 energy of x
 * before it (and the goal, where the problem has one). When that energy meets the target, the
 * updated x (the one returned) is checked with one more evaluation, and the run stops only if it
 * meets it too, so a reached run's answer always lies within the target; iterations to the target
 * count the steps applied to that answer.
 *
 * @param goal the problem's goal over x as graph ops, fetched beside the energy
 * @param rate the fed learning rate, or empty when the graph holds its rate as a constant
 * @param plateau the GNN stage's end, or empty
 * @param watching how the problem's watched quantity is read, or empty when it watches nothing
 */
record StepLoop(
    GraphSession session,
    Operand<TFloat64> energy,
    Optional<Operand<TFloat64>> goal,
    Op step,
    Optional<FedRate> rate,
    Optional<GnnStage.Plateau> plateau,
    Optional<WatchedX> watching,
    Progress progress) {

  /**
   * A learning rate fed each step: {@code rate} on {@code decay}'s schedule, halved whenever the
   * decay's patience passes without a new lowest energy.
   */
  record FedRate(Placeholder<TFloat32> placeholder, double rate, Decay decay) {}

  /**
   * How the problem's watched quantity is measured: from x fetched, in plain doubles, at log-spaced
   * iterations ({@link Trace#watchAt}) and at the last one the iteration cap allows. {@code
   * readBeforeStep}: x is a variable the step updates in place, so it is read in a run of its own
   * before the step (fetched beside the step it could show the update); else (the GNN stage's
   * computed x) it is fetched with the step.
   */
  record WatchedX(Problem.Watched quantity, Operand<TFloat64> x, boolean readBeforeStep) {
    /** Empty when the problem watches nothing: the loop then fetches nothing more. */
    static Optional<WatchedX> of(Problem problem, Operand<TFloat64> x, boolean readBeforeStep) {
      return problem.watched().map(w -> new WatchedX(w, x, readBeforeStep));
    }

    double value(Fetched f) {
      return quantity.value().applyAsDouble(f.doubles(x));
    }
  }

  /** The graph ops of a problem's goal over x, if it has one. */
  static Optional<Operand<TFloat64>> goalOp(Ops tf, Problem problem, Operand<TFloat64> x) {
    return problem.goal().map(g -> g.value(tf, x));
  }

  Progress.Stop run(long startIteration) {
    List<Operand<TFloat64>> fetch = new ArrayList<>(List.of(energy));
    goal.ifPresent(fetch::add);
    List<Operand<TFloat64>> fetchWithX = new ArrayList<>(fetch);
    watching.ifPresent(w -> fetchWithX.add(w.x()));
    int window = plateau.map(GnnStage.Plateau::window).orElse(1);
    double[] best = new double[window + 1]; // the lowest energy seen up to each recent step
    double lowest = Double.POSITIVE_INFINITY;
    long it = startIteration;
    double scale = 1; // halved whenever the stage finds no new lowest energy for its patience
    long sinceLowest = 0;
    Trace trace = progress.trace();
    for (long local = 0; ; local++, it++) {
      Feeds feeds = Feeds.of();
      if (rate.isPresent()) {
        feeds =
            feeds.scalar(
                rate.get().placeholder(),
                (float) (scale * rate.get().decay().at(rate.get().rate(), local)));
      }
      boolean watch =
          watching.isPresent() && (Trace.watchAt(it) || it + 1 >= progress.maxIterations());
      boolean readFirst = watch && watching.get().readBeforeStep();
      double watched =
          readFirst
              ? watching.get().value(session.run(Feeds.of(), List.of(watching.get().x())))
              : Double.NaN;
      Fetched f = session.run(feeds, watch && !readFirst ? fetchWithX : fetch, step);
      watched = watch && !readFirst ? watching.get().value(f) : watched;
      double e = f.scalarDouble(energy);
      double wall = progress.seconds();
      double gap = progress.target().gap(e);
      trace.add(it, wall, gap, watched);
      if (progress.arrived(gap, goalValue(f))) {
        // the fetched energy is of x before this step's update: confirm on the updated x, the one
        // returned
        Fetched confirm = session.run(Feeds.of(), fetchWithX);
        double after = progress.target().gap(confirm.scalarDouble(energy));
        if (progress.arrived(after, goalValue(confirm))) {
          double done = progress.seconds();
          trace.add(it + 1, done, after, watching.map(w -> w.value(confirm)).orElse(Double.NaN));
          return Progress.Stop.reached(it + 1, done);
        }
      }
      if (local == 0) {
        progress.startStage(e);
      }
      Optional<Progress.Stop> stop = progress.stop(it, it + 1, e, wall);
      if (stop.isPresent()) {
        return stop.get();
      }
      sinceLowest = e < lowest ? 0 : sinceLowest + 1;
      if (rate.isPresent()
          && rate.get().decay().patience() > 0
          && sinceLowest >= rate.get().decay().patience()) {
        scale /= 2;
        sinceLowest = 0;
      }
      lowest = Math.min(lowest, e);
      best[(int) (local % (window + 1))] = lowest;
      // the lowest energy, not the current one, so that an optimizer's oscillation is no plateau
      if (plateau.isPresent() && local >= window) {
        double old = best[(int) ((local - window) % (window + 1))];
        if ((old - lowest) / Math.abs(lowest) < plateau.get().threshold()) {
          return Progress.Stop.of(Progress.Reason.PLATEAU, it + 1);
        }
      }
    }
  }

  private double goalValue(Fetched f) {
    return goal.map(f::scalarDouble).orElse(Double.NaN);
  }
}
