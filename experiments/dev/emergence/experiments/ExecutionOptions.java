package dev.emergence.experiments;

import dev.emergence.reparam.method.Execution;
import picocli.CommandLine.Option;

/**
 * How each method's graph runs, beside --threads and --device; shared by reparam and reparam-bench.
 */
public final class ExecutionOptions {
  @Option(
      names = "--graph-optimizer",
      negatable = true,
      description =
          "Let TensorFlow's graph optimizer (grappler) rewrite each method's graph before its first step (default: ${DEFAULT-VALUE}).")
  boolean graphOptimizer = Execution.DEFAULTS.graphOptimizer();

  @Option(
      names = "--reference-step",
      description =
          "Build the step as first written (op-by-op optimizer updates, the energy differentiated through the graph, a concatenated read-out) instead of the cheaper one.")
  boolean referenceStep = !Execution.DEFAULTS.fastStep();

  Execution execution(CommonOptions common) {
    return Execution.of(common.sessionConfig(), graphOptimizer, !referenceStep);
  }
}
