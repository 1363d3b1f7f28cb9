package dev.emergence.session;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.SparseSoftmaxCrossEntropyWithLogits;
import org.tensorflow.op.sparse.SparseTensorDenseMatMul;
import org.tensorflow.types.family.TType;

/**
 * The gradients TensorFlow Java 1.1.0 lacks, registered once per process. This is the only mutable
 * static state of the project: TensorFlow's gradient registry is itself process-wide and a second
 * registration of one op is refused.
 */
public final class Gradients {
  private static final AtomicBoolean REGISTERED = new AtomicBoolean();

  private Gradients() {}

  /** Registers every missing gradient; later calls do nothing. */
  public static void registerAll() {
    if (REGISTERED.compareAndSet(false, true)) {
      register(SparseSoftmaxCrossEntropyWithLogits.OP_NAME, Gradients::sparseSoftmaxCrossEntropy);
      register(SparseTensorDenseMatMul.OP_NAME, Gradients::sparseTensorDenseMatMul);
    }
  }

  private interface Rule {
    List<Operand<?>> call(Ops tf, GraphOperation op, List<Output<?>> grads);
  }

  private static void register(String opType, Rule rule) {
    // Refused (false) when TensorFlow already has one, as a future TensorFlow Java may.
    TensorFlow.registerCustomGradient(opType, rule::call);
  }

  /**
   * Outputs (loss [batch], backprop [batch, classes]); d loss / d logits = backprop scaled by the
   * incoming gradient of each row's loss. Labels are integers and get a zero gradient.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Operand<?>> sparseSoftmaxCrossEntropy(
      Ops tf, GraphOperation op, List<Output<?>> grads) {
    Operand lossGrad = grads.get(0);
    Operand backprop = op.output(1);
    Operand logitsGrad = tf.math.mul(tf.expandDims(lossGrad, tf.constant(-1)), backprop);
    return Arrays.asList(logitsGrad, tf.zerosLike((Operand) op.input(1)));
  }

  /**
   * out = op(A) op(B) with A sparse (indices, values, shape). For B: op(A)^T G, through the same
   * sparse kernel. For A's values: each nonzero (r, c) gets the dot product of the matching rows of
   * G and op(B)^T. Indices and shape are integers and get zero gradients.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Operand<?>> sparseTensorDenseMatMul(
      Ops tf, GraphOperation graphOp, List<Output<?>> grads) {
    var op = new SparseTensorDenseMatMul.Inputs<TType>(graphOp);
    Operand g = grads.get(0);
    Operand indices = op.aIndices;
    Operand values = op.aValues;
    Operand b = op.b;

    Operand gradBEff =
        tf.sparse.sparseTensorDenseMatMul(
            indices,
            values,
            op.aShape,
            g,
            SparseTensorDenseMatMul.adjointA(!op.adjointA),
            SparseTensorDenseMatMul.adjointB(false));
    Operand gradB =
        op.adjointB ? tf.linalg.transpose(gradBEff, tf.constant(new int[] {1, 0})) : gradBEff;

    Operand bRows = op.adjointB ? tf.linalg.transpose(b, tf.constant(new int[] {1, 0})) : b;
    Operand r = tf.gather(indices, tf.constant(op.adjointA ? 1 : 0), tf.constant(1));
    Operand c = tf.gather(indices, tf.constant(op.adjointA ? 0 : 1), tf.constant(1));
    Operand gradValues =
        tf.reduceSum(
            tf.math.mul(tf.gather(g, r, tf.constant(0)), tf.gather(bRows, c, tf.constant(0))),
            tf.constant(1));
    return Arrays.asList(tf.zerosLike(indices), gradValues, tf.zerosLike(op.aShape), gradB);
  }
}
