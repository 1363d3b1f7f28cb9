package dev.emergence.experiments;

import dev.emergence.reparam.Problems;
import picocli.CommandLine.Option;

/** {@code --problem NAME}, shared by reparam and reparam-bench; the help lists the registered names. */
public final class ProblemOption {
  @Option(
      names = "--problem",
      completionCandidates = Problems.Names.class,
      description = "Problem: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  String problem = Problems.DEFAULT;
}
