package dev.emergence.experiments;

import com.google.common.base.Preconditions;
import dev.emergence.nn.GnnReparametrization;
import dev.emergence.reparam.method.Decay;
import dev.emergence.reparam.method.GnnStage;
import dev.emergence.reparam.method.Propagation;
import picocli.CommandLine.Option;

/**
 * The GNN stage of the two-stage method ({@link GnnStage}), shared by reparam and reparam-bench;
 * the defaults are the library's ({@link GnnStage#defaults}).
 */
public final class GnnOptions {
  private static final GnnStage DEFAULTS = GnnStage.defaults(0);

  @Option(names = "--hidden", description = "GNN width (default: ${DEFAULT-VALUE}).")
  int hidden = DEFAULTS.net().hidden();

  @Option(names = "--layers", description = "GNN propagation layers (default: ${DEFAULT-VALUE}).")
  int layers = DEFAULTS.net().layers();

  @Option(names = "--skip", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  GnnReparametrization.Skip skip = DEFAULTS.net().skip();

  @Option(
      names = "--activation",
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  GnnReparametrization.Activation activation = DEFAULTS.net().activation();

  @Option(
      names = "--propagation",
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Propagation propagation = DEFAULTS.propagation();

  @Option(
      names = "--hessian",
      description =
          "The propagation's Hessian: analytic (the problem's own) or estimated (from gradient differences on a distance-2 colouring, inside the GNN's timed set-up) (default: ${DEFAULT-VALUE}).")
  GnnStage.HessianSource hessian = DEFAULTS.hessian();

  @Option(
      names = "--gnn-start",
      description =
          "Where the GNN's output starts: best_constant (the problem's best x = t 1) or zero (default: ${DEFAULT-VALUE}).")
  GnnStage.Start start = DEFAULTS.start();

  @Option(
      names = "--gnn-float64",
      description = "Run the GNN in float64 (default: float32; the energy is always float64).")
  boolean float64 = DEFAULTS.float64();

  @Option(
      names = "--plateau-window",
      description =
          "GNN stage ends when the energy fell by less than --plateau-threshold over this many steps (default: ${DEFAULT-VALUE}).")
  int plateauWindow = DEFAULTS.plateau().window();

  @Option(
      names = "--plateau-threshold",
      description = "Relative energy decrease that counts as progress (default: ${DEFAULT-VALUE}).")
  double plateauThreshold = DEFAULTS.plateau().threshold();

  @Option(
      names = "--handover",
      description =
          "What the GNN stage hands to the direct stage: last (its final x) or best (the x of the lowest energy it saw) (default: ${DEFAULT-VALUE}; last with --reference-step).")
  GnnStage.Handover handover = DEFAULTS.handover();

  @Option(
      names = "--gnn-half-life",
      description =
          "The GNN stage's learning rate halves every this many iterations; 0 keeps it constant (default: ${DEFAULT-VALUE}).")
  double halfLife = DEFAULTS.decay().halfLife();

  @Option(
      names = "--gnn-patience",
      description =
          "The GNN stage's learning rate halves whenever this many steps in a row found no new lowest energy; 0: never (default: ${DEFAULT-VALUE}).")
  int patience = DEFAULTS.decay().patience();

  /**
   * The GNN stage, its weights seeded with {@code seed}; without the fast step the last x is handed
   * over unless --handover says otherwise (the best x is tracked inside the fast step).
   */
  GnnStage stage(long seed, boolean fastStep, boolean handoverGiven) {
    Preconditions.checkArgument(hidden >= 1, "--hidden must be at least 1, got %s", hidden);
    Preconditions.checkArgument(layers >= 0, "--layers must be >= 0, got %s", layers);
    GnnStage.Handover h = fastStep || handoverGiven ? handover : GnnStage.Handover.LAST;
    return new GnnStage(
        new GnnReparametrization.Config(hidden, layers, skip, activation, seed),
        propagation,
        hessian,
        start,
        float64,
        new GnnStage.Plateau(plateauWindow, plateauThreshold),
        h,
        new Decay(halfLife, patience));
  }
}
