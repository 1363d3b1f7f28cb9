package dev.emergence.reparam.method;

import com.fasterxml.jackson.annotation.JsonValue;
import com.google.common.base.Preconditions;
import dev.emergence.nn.GnnReparametrization;
import dev.emergence.reparam.Problem;
import java.util.Locale;

/**
 * The GNN stage of the two-stage method: x = GNN(Z) (or the problem's {@link Problem#gnnOrigin} +
 * GNN(Z)) optimized until its energy plateaus, then handed to the second stage.
 *
 * @param net the GNN's shape and initial weights' seed
 * @param propagation how the propagation matrix is built from the Hessian
 * @param hessian which Hessian
 * @param start where the GNN's output starts (for a problem without an origin)
 * @param float64 run the GNN in float64 (else float32; the energy is float64 either way)
 * @param plateau when the stage ends
 * @param handover what the stage hands to the second stage
 * @param decay how the stage's learning rate falls
 */
public record GnnStage(
    GnnReparametrization.Config net,
    Propagation propagation,
    HessianSource hessian,
    Start start,
    boolean float64,
    Plateau plateau,
    Handover handover,
    Decay decay) {
  /** What the propagation is built from. */
  public enum HessianSource {
    /** The problem's {@link Problem#hessian()}. */
    ANALYTIC,
    /**
     * {@link HessianEstimator} on its pattern at {@link Problem#hessianPoint()}, inside the GNN's
     * timed set-up.
     */
    ESTIMATED;

    @JsonValue
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Where the GNN's output starts, through the read-out bias. */
  public enum Start {
    /** The problem's best constant x = t 1 (for a quadratic energy; else 0). */
    BEST_CONSTANT,
    ZERO;

    @JsonValue
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * What the GNN stage hands to the second stage: the x of the lowest energy it saw (tracked inside
   * the step; Adam spikes late in the GNN stage, and the last x can be 1,000x worse than the best),
   * or its last x.
   */
  public enum Handover {
    BEST,
    LAST;

    @JsonValue
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The stage ends when the lowest energy seen fell by less than {@code threshold} (relative) over
   * the last {@code window} steps.
   */
  public record Plateau(int window, double threshold) {
    public Plateau {
      Preconditions.checkArgument(
          window >= 1, "--plateau-window must be at least 1, got %s", window);
      Preconditions.checkArgument(
          threshold >= 0 && Double.isFinite(threshold),
          "--plateau-threshold must be >= 0, got %s",
          threshold);
    }
  }

  public GnnStage {
    Preconditions.checkNotNull(net, "no GNN shape given");
    Preconditions.checkNotNull(propagation, "no propagation given");
    Preconditions.checkNotNull(hessian, "no Hessian source given");
    Preconditions.checkNotNull(start, "no GNN start given");
    Preconditions.checkNotNull(plateau, "no plateau given");
    Preconditions.checkNotNull(handover, "no handover given");
    decay.check("gnn");
  }

  /**
   * The defaults: the default GNN ({@link GnnReparametrization.Config#defaults}) with GCN
   * propagation of the analytic Hessian in float32, starting at the best constant, plateau 50 steps
   * / 1e-4, the best x handed over, a constant rate.
   */
  public static GnnStage defaults(long seed) {
    return new GnnStage(
        GnnReparametrization.Config.defaults(seed),
        Propagation.GCN,
        HessianSource.ANALYTIC,
        Start.BEST_CONSTANT,
        false,
        new Plateau(50, 1e-4),
        Handover.BEST,
        Decay.NONE);
  }

  /** The same stage with the GNN's weights seeded by {@code seed}. */
  public GnnStage withSeed(long seed) {
    GnnReparametrization.Config n = net;
    return withNet(
        new GnnReparametrization.Config(n.hidden(), n.layers(), n.skip(), n.activation(), seed));
  }

  public GnnStage withNet(GnnReparametrization.Config n) {
    return new GnnStage(n, propagation, hessian, start, float64, plateau, handover, decay);
  }

  public GnnStage withPlateau(Plateau p) {
    return new GnnStage(net, propagation, hessian, start, float64, p, handover, decay);
  }

  public GnnStage withHandover(Handover h) {
    return new GnnStage(net, propagation, hessian, start, float64, plateau, h, decay);
  }
}
