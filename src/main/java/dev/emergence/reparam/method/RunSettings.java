package dev.emergence.reparam.method;

import dev.emergence.reparam.Problem;

import com.google.common.base.Preconditions;
import dev.emergence.nn.GnnReparametrization;
import dev.emergence.session.SessionConfig;

/**
 * How the methods run. {@link #defaults} holds every default; change fields with {@link #toBuilder}
 * or the withers.
 *
 * @param directLr learning rate of the direct method
 * @param gnnLr learning rate of the GNN stage
 * @param stage2Lr learning rate of the direct stage that follows the GNN stage (a fresh optimizer)
 * @param tolerance target relative energy gap (E - E*) / E*
 * @param budgetS wall-clock budget per method, seconds
 * @param maxIterations iteration cap per method
 * @param seed the direct method's initial point and the GNN's initial weights ({@code gnn.seed()})
 * @param plateauWindow the GNN stage ends when the energy fell by less than {@code plateauThreshold}
 *     (relative) over the last {@code plateauWindow} steps
 * @param gnnFloat64 run the GNN in float64 (else float32; the energy is float64 either way)
 * @param stage2Optimizer the optimizer of the direct stage after the GNN stage
 * @param stage2HalfLife the stage-2 learning rate halves every this many iterations (0: constant)
 * @param fastStep the cheaper step: fused optimizer kernels, the problem's own gradient seeded into
 *     the GNN's backpropagation, the read-out as a sum of per-layer products (the same function and
 *     iterates to float rounding); false builds the step as first written
 * @param stage2Patience the stage-2 learning rate halves whenever this many stage-2 steps in a row
 *     found no new lowest energy (an optimizer at its noise floor); 0: never
 * @param gnnPatience the GNN stage's learning rate halves whenever this many GNN steps in a row
 *     found no new lowest energy (Adam's spikes at a high rate); 0: never
 * @param gnnStart where the GNN's output starts: {@code zero} or {@code best_constant} (the problem's
 *     {@link Problem#bestConstant}, through the read-out bias; a problem that {@link
 *     Problem#gnnStartsAtInitialPoint} starts at its initial point whatever this says)
 * @param hessian what the propagation is built from: {@code analytic} (the problem's {@link
 *     Problem#hessian()}) or {@code estimated} ({@link HessianEstimator} on its pattern, at {@link
 *     Problem#hessianPoint()}, inside the GNN's timed set-up)
 * @param graphOptimizer run TensorFlow's graph optimizer (grappler) before a method's first step (on by
 *     default: switching it off made the first session run slower at 128^2, 0.85-1.49 s against
 *     0.34-0.58 s in three alternating pairs)
 * @param gnnHalfLife the GNN stage's learning rate halves every this many iterations (0: constant)
 * @param handover what the GNN stage hands to the direct stage: {@code last} (its final x) or {@code
 *     best} (default: the x of the lowest energy it saw, tracked inside the step; Adam spikes late in
 *     the GNN stage, and the last x can be 1,000x worse than the best)
 */
public record RunSettings(
    OptimizerKind optimizer,
    double directLr,
    double gnnLr,
    double stage2Lr,
    double tolerance,
    double budgetS,
    long maxIterations,
    long seed,
    SessionConfig session,
    GnnReparametrization.Config gnn,
    Propagation propagation,
    boolean gnnFloat64,
    int plateauWindow,
    double plateauThreshold,
    OptimizerKind stage2Optimizer,
    double stage2HalfLife,
    boolean fastStep,
    String gnnStart,
    int stage2Patience,
    int gnnPatience,
    String hessian,
    boolean graphOptimizer,
    double gnnHalfLife,
    String handover) {
  public static final double DEFAULT_TOLERANCE = 1e-6;
  public static final double DEFAULT_BUDGET_S = 120;
  public static final long DEFAULT_MAX_ITERATIONS = 10_000_000;
  public static final int DEFAULT_PLATEAU_WINDOW = 50;
  public static final double DEFAULT_PLATEAU_THRESHOLD = 1e-4;
  public static final int DEFAULT_STAGE2_PATIENCE = 10;
  public static final int DEFAULT_GNN_PATIENCE = 0;
  public static final boolean DEFAULT_GRAPH_OPTIMIZER = true;
  public static final double DEFAULT_GNN_HALF_LIFE = 0;
  public static final String DEFAULT_HANDOVER = "best";

  public RunSettings {
    Preconditions.checkNotNull(optimizer, "no optimizer given");
    Preconditions.checkArgument(
        directLr > 0 && gnnLr > 0 && stage2Lr > 0,
        "learning rates must be positive, got direct %s, gnn %s, stage 2 %s",
        directLr,
        gnnLr,
        stage2Lr);
    Preconditions.checkArgument(tolerance > 0, "tolerance must be positive, got %s", tolerance);
    Preconditions.checkArgument(budgetS > 0, "budget must be positive, got %s s", budgetS);
    Preconditions.checkArgument(maxIterations > 0, "iteration cap must be positive, got %s", maxIterations);
    Preconditions.checkNotNull(session, "no session config given");
    Preconditions.checkNotNull(gnn, "no GNN config given");
    Preconditions.checkNotNull(propagation, "no propagation given");
    Preconditions.checkArgument(plateauWindow >= 1, "plateau window must be at least 1, got %s", plateauWindow);
    Preconditions.checkArgument(plateauThreshold >= 0, "plateau threshold must be >= 0, got %s", plateauThreshold);
    Preconditions.checkNotNull(stage2Optimizer, "no stage-2 optimizer given");
    Preconditions.checkArgument(stage2HalfLife >= 0, "stage-2 half-life must be >= 0, got %s", stage2HalfLife);
    Preconditions.checkArgument(stage2Patience >= 0, "stage-2 patience must be >= 0, got %s", stage2Patience);
    Preconditions.checkArgument(gnnPatience >= 0, "GNN patience must be >= 0, got %s", gnnPatience);
    Preconditions.checkArgument(
        gnnStart.equals("zero") || gnnStart.equals("best_constant"), "unknown GNN start '%s'; expected zero or best_constant", gnnStart);
    Preconditions.checkArgument(
        "analytic".equals(hessian) || "estimated".equals(hessian), "unknown --hessian '%s'; expected analytic or estimated", hessian);
    Preconditions.checkArgument(gnnHalfLife >= 0, "GNN half-life must be >= 0, got %s", gnnHalfLife);
    Preconditions.checkArgument(
        "last".equals(handover) || "best".equals(handover), "unknown --handover '%s'; expected last or best", handover);
    Preconditions.checkArgument(
        fastStep || "last".equals(handover), "--handover best needs the fast step (not --reference-step); use --handover last");
  }

  /** The GNN stage's learning rate at GNN iteration t (0-based). */
  public double gnnLrAt(long t) {
    return gnnHalfLife == 0 ? gnnLr : gnnLr * Math.pow(0.5, t / gnnHalfLife);
  }

  /** The stage-2 learning rate at stage-2 iteration t (0-based). */
  public double stage2LrAt(long t) {
    return stage2HalfLife == 0 ? stage2Lr : stage2Lr * Math.pow(0.5, t / stage2HalfLife);
  }

  /**
   * The defaults for one optimizer on one problem: the optimizer's best learning rates, tolerance
   * 1e-6, 120 s, one thread, the default GNN with GCN propagation in float32, plateau 50 steps / 1e-4.
   */
  public static RunSettings defaults(OptimizerKind optimizer, Problem problem, long seed) {
    double direct = optimizer.defaultDirectLr(problem);
    return new RunSettings(
        optimizer,
        direct,
        optimizer.defaultGnnLr(),
        optimizer.defaultStage2Lr(direct),
        DEFAULT_TOLERANCE,
        DEFAULT_BUDGET_S,
        DEFAULT_MAX_ITERATIONS,
        seed,
        SessionConfig.cpu(1),
        GnnReparametrization.Config.defaults(seed),
        Propagation.GCN,
        false,
        DEFAULT_PLATEAU_WINDOW,
        DEFAULT_PLATEAU_THRESHOLD,
        optimizer,
        0,
        true,
        "best_constant",
        DEFAULT_STAGE2_PATIENCE,
        DEFAULT_GNN_PATIENCE,
        "analytic",
        DEFAULT_GRAPH_OPTIMIZER,
        DEFAULT_GNN_HALF_LIFE,
        DEFAULT_HANDOVER);
  }

  public RunSettings withLearningRates(double direct, double gnn, double stage2) {
    return toBuilder().directLr(direct).gnnLr(gnn).stage2Lr(stage2).build();
  }

  /** Another seed for both methods: the direct start and the GNN's weights. */
  public RunSettings withSeed(long seed) {
    GnnReparametrization.Config g = gnn;
    return toBuilder()
        .seed(seed)
        .gnn(new GnnReparametrization.Config(g.hidden(), g.layers(), g.skip(), g.activation(), seed))
        .build();
  }

  public RunSettings withBudgetS(double budgetS) {
    return toBuilder().budgetS(budgetS).build();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes some fields of a RunSettings; {@link #build} checks them. */
  public static final class Builder {
    private OptimizerKind optimizer;
    private double directLr;
    private double gnnLr;
    private double stage2Lr;
    private double tolerance;
    private double budgetS;
    private long maxIterations;
    private long seed;
    private SessionConfig session;
    private GnnReparametrization.Config gnn;
    private Propagation propagation;
    private boolean gnnFloat64;
    private int plateauWindow;
    private double plateauThreshold;
    private OptimizerKind stage2Optimizer;
    private double stage2HalfLife;
    private boolean fastStep;
    private String gnnStart;
    private int stage2Patience;
    private int gnnPatience;
    private String hessian;
    private boolean graphOptimizer;
    private double gnnHalfLife;
    private String handover;

    private Builder(RunSettings s) {
      optimizer = s.optimizer;
      directLr = s.directLr;
      gnnLr = s.gnnLr;
      stage2Lr = s.stage2Lr;
      tolerance = s.tolerance;
      budgetS = s.budgetS;
      maxIterations = s.maxIterations;
      seed = s.seed;
      session = s.session;
      gnn = s.gnn;
      propagation = s.propagation;
      gnnFloat64 = s.gnnFloat64;
      plateauWindow = s.plateauWindow;
      plateauThreshold = s.plateauThreshold;
      stage2Optimizer = s.stage2Optimizer;
      stage2HalfLife = s.stage2HalfLife;
      fastStep = s.fastStep;
      gnnStart = s.gnnStart;
      stage2Patience = s.stage2Patience;
      gnnPatience = s.gnnPatience;
      hessian = s.hessian;
      graphOptimizer = s.graphOptimizer;
      gnnHalfLife = s.gnnHalfLife;
      handover = s.handover;
    }

    public Builder graphOptimizer(boolean v) {
      graphOptimizer = v;
      return this;
    }

    public Builder gnnHalfLife(double v) {
      gnnHalfLife = v;
      return this;
    }

    public Builder handover(String v) {
      handover = v;
      return this;
    }

    public Builder hessian(String v) {
      hessian = v;
      return this;
    }

    public Builder gnnPatience(int v) {
      gnnPatience = v;
      return this;
    }

    public Builder stage2Patience(int v) {
      stage2Patience = v;
      return this;
    }

    public Builder stage2Optimizer(OptimizerKind v) {
      stage2Optimizer = v;
      return this;
    }

    public Builder stage2HalfLife(double v) {
      stage2HalfLife = v;
      return this;
    }

    public Builder fastStep(boolean v) {
      fastStep = v;
      return this;
    }

    public Builder gnnStart(String v) {
      gnnStart = v;
      return this;
    }

    public Builder directLr(double v) {
      directLr = v;
      return this;
    }

    public Builder gnnLr(double v) {
      gnnLr = v;
      return this;
    }

    public Builder stage2Lr(double v) {
      stage2Lr = v;
      return this;
    }

    public Builder tolerance(double v) {
      tolerance = v;
      return this;
    }

    public Builder budgetS(double v) {
      budgetS = v;
      return this;
    }

    public Builder maxIterations(long v) {
      maxIterations = v;
      return this;
    }

    /** The run's seed only; {@link RunSettings#withSeed} also reseeds the GNN. */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder session(SessionConfig v) {
      session = v;
      return this;
    }

    public Builder gnn(GnnReparametrization.Config v) {
      gnn = v;
      return this;
    }

    public Builder propagation(Propagation v) {
      propagation = v;
      return this;
    }

    public Builder gnnFloat64(boolean v) {
      gnnFloat64 = v;
      return this;
    }

    public Builder plateau(int window, double threshold) {
      plateauWindow = window;
      plateauThreshold = threshold;
      return this;
    }

    public RunSettings build() {
      return new RunSettings(optimizer, directLr, gnnLr, stage2Lr, tolerance, budgetS, maxIterations, seed, session, gnn,
          propagation, gnnFloat64, plateauWindow, plateauThreshold, stage2Optimizer, stage2HalfLife, fastStep, gnnStart, stage2Patience, gnnPatience, hessian,
          graphOptimizer, gnnHalfLife, handover);
    }
  }
}
