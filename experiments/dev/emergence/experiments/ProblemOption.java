package dev.emergence.experiments;

import dev.emergence.reparam.Problem;
import dev.emergence.reparam.problem.HomologyProblem;
import dev.emergence.reparam.problem.KuramotoProblem;
import dev.emergence.reparam.problem.ProblemSettings;
import dev.emergence.reparam.problem.Problems;

import picocli.CommandLine.Option;

/**
 * {@code --problem NAME} and the problems' own options, shared by reparam and reparam-bench; the help
 * lists the registered names. Each problem reads its options and ignores the others'.
 */
public final class ProblemOption {
  private static final ProblemSettings DEFAULTS = ProblemSettings.defaults();

  @Option(
      names = "--problem",
      completionCandidates = Problems.Names.class,
      description = "Problem: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  String problem = Problems.DEFAULT;

  @Option(names = "--hessian-at", description = "Kuramoto: the propagation's Hessian at the synchronized state (the coupling Laplacian) or at the initial phases with |cos| weights: synchronized or initial-abs (default: ${DEFAULT-VALUE}).")
  String hessianAt = "synchronized";

  @Option(names = "--spread", description = "Kuramoto: initial phases uniform in [-spread/2, spread/2), in (0, 2 pi] (default: ${DEFAULT-VALUE}; 6.283 is the full circle).")
  double spread = ProblemSettings.DEFAULT_SPREAD;

  @Option(names = "--target-r", description = "Kuramoto: arrived when the order parameter r reaches this (e.g. 0.99) instead of the energy gap --tolerance.")
  Double targetR;

  @Option(names = "--mode", description = "Homology: pull (total H0 persistence) or push (its negative plus a spread penalty) (default: ${DEFAULT-VALUE}).")
  String mode = "pull";

  @Option(names = "--k", description = "Homology: neighbours of the k-NN propagation graph (default: ${DEFAULT-VALUE}).")
  int k = DEFAULTS.k();

  @Option(names = "--spread-penalty", description = "Homology push: weight of the spread penalty (default: ${DEFAULT-VALUE}).")
  double spreadPenalty = DEFAULTS.spreadPenalty();

  @Option(names = "--keep", description = "Homology pull: leave this many longest bars out (K - 1 keeps K clusters apart) (default: ${DEFAULT-VALUE}).")
  int keep = DEFAULTS.keep();

  @Option(names = "--target", description = "Homology: the loss value to reach (default: the direct method's lowest loss within its budget, plus 1e-3 of its magnitude).")
  Double target;

  /** The problems' options, every number checked with its option's name. */
  ProblemSettings settings() {
    return new ProblemSettings(KuramotoProblem.HessianAt.parse(hessianAt), spread, targetR, HomologyProblem.Mode.parse(mode), k,
        spreadPenalty, keep, target);
  }
}
