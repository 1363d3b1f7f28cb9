package dev.emergence.reparam.method;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.emergence.nn.SparseMatrix;
import dev.emergence.optim.Adagrad;
import dev.emergence.optim.Adam;
import dev.emergence.optim.AdamWConfig;
import dev.emergence.optim.FusedAdamW;
import dev.emergence.optim.Jacobi;
import dev.emergence.optim.Optimizer;
import dev.emergence.optim.RmsProp;
import dev.emergence.optim.Sgd;
import dev.emergence.reparam.Problem;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The optimizers the study compares, with PyTorch's default hyperparameters, and the default
 * learning rates per method: the best ones {@code reparam-bench} found on 2D grids (see the README,
 * section "Neural reparametrization: heat diffusion", "Protocol of the benchmark"); for gradient
 * descent on x the step follows the problem's curvature bound. Adam's GNN rate 0.03 and stage-2
 * rate 5e-5 (halved on stage-2 plateaus, {@link RunSettings#STAGE2_DECAY}), the second stage
 * starting from the GNN stage's best x ({@link GnnStage.Handover#BEST}), reached 1e-6 on 64^2,
 * 128^2 and 256^2 grids in the fewest iterations of the settings tried: 248, 313 and 828 (stage-2
 * rate 1e-3 from the last x before: 420, 369 and 3,944).
 *
 * <p>Two more are the first-order baselines a practitioner would try on a badly conditioned graph,
 * their rates set from the problem's Hessian H ({@link Spectrum}, whose seconds every run that uses
 * them counts):
 *
 * <ul>
 *   <li>{@code jacobi}: gradient descent preconditioned by the inverse of H's diagonal D, at the
 *       optimal constant step 2 / (lambda_min + lambda_max) of D^-1/2 H D^-1/2 (Lanczos estimates).
 *       It is gradient descent in the coordinates y = D^1/2 x; through the GNN the GNN's output is
 *       those coordinates, x = x0 + D^-1/2 GNN(Z), its parameters trained by plain gradient descent
 *       (their own Hessian's diagonal is not available without second derivatives through the net);
 *   <li>{@code nesterov}: Nesterov's accelerated gradient, step 1 / lambda_max and momentum
 *       (sqrt(kappa) - 1) / (sqrt(kappa) + 1), kappa = lambda_max / lambda_min of H (Lanczos
 *       estimates); through the GNN its parameters take Nesterov momentum {@link #GNN_MOMENTUM} at
 *       the GNN rate (no estimate of their Hessian exists), and its second stage the rates of x.
 * </ul>
 */
public enum OptimizerKind {
  SGD(0.25, 3e-4, 0.25),
  ADAM(0.01, 0.03, 5e-5),
  RMSPROP(0.001, 0.001, 1e-4),
  ADAGRAD(0.1, 0.1, 0.01),
  JACOBI(Double.NaN, 1e-4, Double.NaN),
  NESTEROV(Double.NaN, 1e-5, Double.NaN);

  /** The optimizer of a run that names none: Adam. */
  public static final OptimizerKind DEFAULT = ADAM;

  /**
   * Nesterov's momentum on the GNN's parameters: the common default (PyTorch's examples, Sutskever
   * et al.).
   */
  public static final double GNN_MOMENTUM = 0.9;

  private final double directLr;
  private final double gnnLr;
  private final double stage2Lr;

  OptimizerKind(double directLr, double gnnLr, double stage2Lr) {
    this.directLr = directLr;
    this.gnnLr = gnnLr;
    this.stage2Lr = stage2Lr;
  }

  /**
   * A fresh optimizer of the GNN's parameters; {@code fused}: TensorFlow's one-op update kernels
   * ({@code ApplyGradientDescent}, {@code ApplyAdam}, {@code ApplyAdagradV2}, {@code
   * ApplyMomentum}; the same arithmetic to float rounding), else the updates built op by op.
   * RMSProp has no fused kernel of PyTorch's form (TensorFlow's puts eps inside the square root)
   * and is built op by op either way. Jacobi's parameters take plain gradient descent, Nesterov's
   * momentum {@link #GNN_MOMENTUM} (see the class comment).
   */
  public Optimizer create(boolean fused) {
    return switch (this) {
      case SGD, JACOBI -> fused ? Sgd.plain() : Sgd.unfused();
      case ADAM -> fused ? new FusedAdamW(AdamWConfig.adam()) : Adam.defaults();
      case RMSPROP -> RmsProp.defaults();
      case ADAGRAD -> fused ? Adagrad.defaults() : Adagrad.unfused();
      case NESTEROV -> Sgd.nesterov(GNN_MOMENTUM, fused);
    };
  }

  /**
   * A fresh optimizer of x on {@code problem}: Jacobi's preconditioner is the inverse of the
   * Hessian's diagonal, Nesterov's momentum comes from its spectrum ({@link #spectrum}); the others
   * as {@link #create}.
   */
  public Optimizer onX(boolean fused, Problem problem) {
    return switch (this) {
      case JACOBI -> new Jacobi(inverse(Spectrum.diagonal(problem.hessian())), fused);
      case NESTEROV -> Sgd.nesterov(spectrum(problem).orElseThrow().nesterovMomentum(), fused);
      default -> create(fused);
    };
  }

  /**
   * The spectrum estimate the rates of x read (jacobi, nesterov), computed once per problem; empty
   * for the others.
   */
  public Optional<Spectrum> spectrum(Problem problem) {
    return switch (this) {
      case JACOBI -> Optional.of(Spectrum.of(problem, Spectrum.Of.JACOBI_SCALED));
      case NESTEROV -> Optional.of(Spectrum.of(problem, Spectrum.Of.HESSIAN));
      default -> Optional.empty();
    };
  }

  /**
   * The second stage's decay with this optimizer: as configured, but without the patience rule for
   * nesterov, whose energy rises and falls by design (the rule would halve its rate at every
   * swing).
   */
  public Decay stage2Decay(Decay configured) {
    return this == NESTEROV ? new Decay(configured.halfLife(), 0) : configured;
  }

  /**
   * Whether the rate on x comes from the problem's curvature (GD, jacobi, nesterov): a second stage
   * continues at it.
   */
  public boolean rateFromCurvature() {
    return this == SGD || this == JACOBI || this == NESTEROV;
  }

  /**
   * How the default rate on x is found, as a benchmark's fingerprint records it: a rule, or the
   * fixed rate.
   */
  public Object directRule() {
    return switch (this) {
      case SGD -> "2/curvature_bound";
      case JACOBI ->
          "2/(lambda_min+lambda_max) of D^-1/2 H D^-1/2, lanczos until lambda_max settles to "
              + Spectrum.SETTLED;
      case NESTEROV ->
          "1/lambda_max, momentum (sqrt(kappa)-1)/(sqrt(kappa)+1), lanczos until lambda_min settles to "
              + Spectrum.SETTLED;
      default -> directLr;
    };
  }

  /**
   * The fixed default rate on x of an adaptive optimizer (NaN for those whose rate follows the
   * problem).
   */
  public double defaultDirectLr() {
    return directLr;
  }

  /**
   * The default direct learning rate on one problem: for gradient descent 2 / (Gershgorin bound of
   * the Hessian), the edge of stability (0.25 on a 2D grid, the PyTorch peer's best; 1/6 on a 3D
   * grid); for jacobi and nesterov from the Hessian's spectrum (see the class comment); for the
   * adaptive methods the fixed default.
   */
  public double defaultDirectLr(Problem problem) {
    return switch (this) {
      case SGD -> 2 / curvatureBound(problem.hessian());
      case JACOBI -> {
        Spectrum s = spectrum(problem).orElseThrow();
        yield 2 / (s.lambdaMin() + s.lambdaMax());
      }
      case NESTEROV -> 1 / spectrum(problem).orElseThrow().lambdaMax();
      default -> directLr;
    };
  }

  /** Gershgorin's bound on the largest eigenvalue of a Hessian: its largest absolute row sum. */
  static double curvatureBound(SparseMatrix h) {
    double[] rows = new double[h.n()];
    for (int k = 0; k < h.nonzeros(); k++) {
      rows[h.rows()[k]] += Math.abs(h.values()[k]);
    }
    return Arrays.stream(rows).max().orElseThrow();
  }

  private static double[] inverse(double[] d) {
    return Arrays.stream(d).map(v -> 1 / v).toArray();
  }

  public double defaultGnnLr() {
    return gnnLr;
  }

  /** The learning rate of the direct stage after the GNN stage (a fresh optimizer). */
  public double defaultStage2Lr() {
    return stage2Lr;
  }

  /**
   * The stage-2 default given the direct method's rate: GD, jacobi and nesterov continue at that
   * rate, the others at theirs.
   */
  public double defaultStage2Lr(double directLr) {
    return rateFromCurvature() ? directLr : stage2Lr;
  }

  /**
   * {@code sgd}, {@code adam}, {@code rmsprop}, {@code adagrad}, {@code jacobi} or {@code
   * nesterov}: on the command line, in JSON and in results.
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonValue
  @Override
  public String toString() {
    return label();
  }
}
