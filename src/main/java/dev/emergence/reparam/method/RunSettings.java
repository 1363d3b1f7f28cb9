package dev.emergence.reparam.method;

import com.google.common.base.Preconditions;
import dev.emergence.reparam.Problem;

/**
 * How a method runs: the seed of the initial point and of the GNN's weights ({@code
 * gnn.net().seed()} follows it), the optimizers' rates, when to stop, the GNN stage, the second
 * stage's rate decay, and how the graph runs. {@link #defaults} holds every default.
 */
public record RunSettings(
    long seed, Rates rates, Stopping stopping, GnnStage gnn, Decay stage2, Execution execution) {
  /**
   * The second stage's default decay: its rate halves whenever 10 steps in a row found no new
   * lowest energy (an optimizer at its noise floor).
   */
  public static final Decay STAGE2_DECAY = new Decay(0, 10);

  public RunSettings {
    Preconditions.checkNotNull(rates, "no rates given");
    Preconditions.checkNotNull(stopping, "no stopping rule given");
    Preconditions.checkNotNull(gnn, "no GNN stage given");
    checkStages(gnn, stage2, execution);
  }

  /**
   * Checks what the stages' settings ask of each other: the best handover is tracked inside the
   * fast step.
   */
  public static void checkStages(GnnStage gnn, Decay stage2, Execution execution) {
    Preconditions.checkNotNull(execution, "no execution given");
    stage2.check("stage2");
    Preconditions.checkArgument(
        execution.fastStep() || gnn.handover() == GnnStage.Handover.LAST,
        "--handover best needs the fast step; drop --reference-step or use --handover last");
  }

  /**
   * The defaults for one optimizer on one problem: the optimizer's rates ({@link Rates#defaults}),
   * the default stopping rule, GNN stage, second-stage decay and execution.
   */
  public static RunSettings defaults(OptimizerKind optimizer, Problem problem, long seed) {
    return new RunSettings(
        seed,
        Rates.defaults(optimizer, problem),
        Stopping.DEFAULTS,
        GnnStage.defaults(seed),
        STAGE2_DECAY,
        Execution.DEFAULTS);
  }

  /** Another seed for every method: the initial point and the GNN's weights. */
  public RunSettings withSeed(long s) {
    return new RunSettings(s, rates, stopping, gnn.withSeed(s), stage2, execution);
  }

  public RunSettings withRates(Rates r) {
    return new RunSettings(seed, r, stopping, gnn, stage2, execution);
  }

  public RunSettings withStopping(Stopping s) {
    return new RunSettings(seed, rates, s, gnn, stage2, execution);
  }

  public RunSettings withGnn(GnnStage g) {
    return new RunSettings(seed, rates, stopping, g, stage2, execution);
  }

  public RunSettings withExecution(Execution e) {
    return new RunSettings(seed, rates, stopping, gnn, stage2, e);
  }
}
