package dev.emergence.reparam.method;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.emergence.nn.SparseMatrix;
import dev.emergence.optim.Adagrad;
import dev.emergence.optim.Adam;
import dev.emergence.optim.AdamWConfig;
import dev.emergence.optim.FusedAdamW;
import dev.emergence.optim.Optimizer;
import dev.emergence.optim.RmsProp;
import dev.emergence.optim.Sgd;
import dev.emergence.reparam.Problem;
import java.util.Arrays;
import java.util.Locale;

/**
 * The optimizers the study compares, with PyTorch's default hyperparameters, and the default learning
 * rates per method: the best ones {@code reparam-bench} found on 2D grids (see the README, section
 * "Neural reparametrization: heat diffusion", "Protocol of the benchmark"); for gradient descent on x
 * the step follows the problem's curvature bound. Adam's GNN rate 0.03 and stage-2 rate 5e-5 (halved
 * on stage-2 plateaus, {@link RunSettings#STAGE2_DECAY}), the second stage starting from the
 * GNN stage's best x ({@link GnnStage.Handover#BEST}), reached 1e-6 on 64^2, 128^2 and 256^2
 * grids in the fewest iterations of the settings tried: 248, 313 and 828 (stage-2 rate 1e-3 from the
 * last x before: 420, 369 and 3,944).
 */
public enum OptimizerKind {
  SGD(0.25, 3e-4, 0.25),
  ADAM(0.01, 0.03, 5e-5),
  RMSPROP(0.001, 0.001, 1e-4),
  ADAGRAD(0.1, 0.1, 0.01);

  /** The optimizer of a run that names none: Adam. */
  public static final OptimizerKind DEFAULT = ADAM;

  private final double directLr;
  private final double gnnLr;
  private final double stage2Lr;

  OptimizerKind(double directLr, double gnnLr, double stage2Lr) {
    this.directLr = directLr;
    this.gnnLr = gnnLr;
    this.stage2Lr = stage2Lr;
  }

  /**
   * A fresh optimizer; {@code fused}: TensorFlow's one-op update kernels ({@code ApplyGradientDescent},
   * {@code ApplyAdam}, {@code ApplyAdagradV2}; the same arithmetic to float rounding), else the updates
   * built op by op. RMSProp has no fused kernel of PyTorch's form (TensorFlow's puts eps inside the
   * square root) and is built op by op either way.
   */
  public Optimizer create(boolean fused) {
    return switch (this) {
      case SGD -> fused ? Sgd.plain() : Sgd.unfused();
      case ADAM -> fused ? new FusedAdamW(AdamWConfig.adam()) : Adam.defaults();
      case RMSPROP -> RmsProp.defaults();
      case ADAGRAD -> fused ? Adagrad.defaults() : Adagrad.unfused();
    };
  }

  public double defaultDirectLr() {
    return directLr;
  }

  /**
   * The default direct learning rate on one problem: for gradient descent 2 / (Gershgorin bound of
   * the Hessian), the edge of stability (0.25 on a 2D grid, the PyTorch peer's best; 1/6 on a 3D
   * grid); for the adaptive methods the fixed default.
   */
  public double defaultDirectLr(Problem problem) {
    return this == SGD ? 2 / curvatureBound(problem.hessian()) : directLr;
  }

  /** Gershgorin's bound on the largest eigenvalue of a Hessian: its largest absolute row sum. */
  static double curvatureBound(SparseMatrix h) {
    double[] rows = new double[h.n()];
    for (int k = 0; k < h.nonzeros(); k++) {
      rows[h.rows()[k]] += Math.abs(h.values()[k]);
    }
    return Arrays.stream(rows).max().orElseThrow();
  }

  public double defaultGnnLr() {
    return gnnLr;
  }

  /** The learning rate of the direct stage after the GNN stage (a fresh optimizer). */
  public double defaultStage2Lr() {
    return stage2Lr;
  }

  /** The stage-2 default given the direct method's rate: GD continues at that rate, the others at theirs. */
  public double defaultStage2Lr(double directLr) {
    return this == SGD ? directLr : stage2Lr;
  }

  /** {@code sgd}, {@code adam}, {@code rmsprop} or {@code adagrad}: on the command line, in JSON and in results. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonValue
  @Override
  public String toString() {
    return label();
  }
}
