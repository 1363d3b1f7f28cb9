package dev.emergence.experiments;

import dev.emergence.reparam.method.Decay;
import dev.emergence.reparam.method.OptimizerKind;
import dev.emergence.reparam.method.RunSettings;
import picocli.CommandLine.Option;

/** The second stage of the two-stage method, shared by reparam and reparam-bench. */
public final class Stage2Options {
  @Option(
      names = "--stage2-optimizer",
      description =
          "Optimizer of the direct stage after the GNN: ${COMPLETION-CANDIDATES} (default: the first stage's).")
  OptimizerKind optimizer;

  @Option(
      names = "--stage2-half-life",
      description =
          "The stage-2 learning rate halves every this many iterations; 0 keeps it constant (default: ${DEFAULT-VALUE}).")
  double halfLife = RunSettings.STAGE2_DECAY.halfLife();

  @Option(
      names = "--stage2-patience",
      description =
          "The stage-2 learning rate halves whenever this many steps in a row found no new lowest energy; 0: never (default: ${DEFAULT-VALUE}).")
  int patience = RunSettings.STAGE2_DECAY.patience();

  Decay decay() {
    return new Decay(halfLife, patience);
  }
}
