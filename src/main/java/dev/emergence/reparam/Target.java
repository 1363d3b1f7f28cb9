package dev.emergence.reparam;

/**
 * When a run has arrived, and the gap it records on the way: the relative gap (E - E*) / E* to a
 * known optimum, or the distance E - V above an energy value V to reach.
 */
public sealed interface Target {
  /** The energy aimed at: E* or V. */
  double energy();

  /** The gap of an energy: what the trace records and {@code final_gap} reports. */
  double gap(double energy);

  /** Whether a gap is within the target. */
  boolean reached(double gap);

  /** The energy a gap was recorded for: the inverse of {@link #gap}. */
  double energyOf(double gap);

  /** Arrived when (E - E*) / E* is at most the tolerance. */
  record RelativeGap(double energy, double tolerance) implements Target {
    @Override
    public double gap(double e) {
      return (e - energy) / energy;
    }

    @Override
    public boolean reached(double gap) {
      return gap <= tolerance;
    }

    @Override
    public double energyOf(double gap) {
      return energy * (1 + gap);
    }
  }

  /** Arrived when E is at most V. */
  record Value(double energy) implements Target {
    @Override
    public double gap(double e) {
      return e - energy;
    }

    @Override
    public boolean reached(double gap) {
      return gap <= 0;
    }

    @Override
    public double energyOf(double gap) {
      return energy + gap;
    }
  }

  /**
   * No target: a run goes to its budget and its gap is the energy itself (so its trace holds the
   * energies); how a run finds the lowest energy a method reaches, for a problem without a given
   * target.
   */
  record None() implements Target {
    @Override
    public double energy() {
      return 0;
    }

    @Override
    public double gap(double e) {
      return e;
    }

    @Override
    public boolean reached(double gap) {
      return false;
    }

    @Override
    public double energyOf(double gap) {
      return gap;
    }
  }
}
