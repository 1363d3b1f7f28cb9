package dev.emergence.experiments;

import dev.emergence.reparam.method.Stopping;
import picocli.CommandLine.Option;

/**
 * When each run stops: mix in with {@code @Mixin StoppingOptions stopping = new
 * StoppingOptions(defaults)}.
 */
public final class StoppingOptions {
  @Option(
      names = "--tolerance",
      description = "Target relative energy gap (E - E*)/E* (default: ${DEFAULT-VALUE}).")
  double tolerance;

  @Option(
      names = "--max-iterations",
      description =
          "Iteration cap per run: the budget that decides, the same on any machine (default: ${DEFAULT-VALUE}).")
  long maxIterations;

  @Option(
      names = "--budget-s",
      description =
          "Wall-clock budget per run, seconds; a run it stops is marked budget_s (default: ${DEFAULT-VALUE}).")
  double budgetS;

  @Option(
      names = "--stall",
      description =
          "Stop a run (marked stalled) whose lowest energy fell by less than --tolerance (relative to |E*|) over this many steps: a local minimum it will not leave, such as a Kuramoto vortex state (default: no stall rule).")
  Integer stall;

  StoppingOptions(Stopping defaults) {
    tolerance = defaults.tolerance();
    maxIterations = defaults.maxIterations();
    budgetS = defaults.budgetS();
    stall = defaults.stall();
  }

  Stopping stopping() {
    return new Stopping(tolerance, maxIterations, budgetS, stall);
  }
}
