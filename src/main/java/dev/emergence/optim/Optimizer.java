package dev.emergence.optim;

import com.google.common.base.Preconditions;
import dev.emergence.session.GraphSession;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * A first-order optimizer that adds its update to a graph. This class differentiates the loss with
 * respect to exactly the variables given (never every variable of the graph), feeds the learning
 * rate per step, and orders every variable update after every gradient, so that no update can
 * overwrite a value another gradient still reads. Subclasses give the per-variable rule and what
 * happens once the updates are done (bias-correction powers, step counters).
 */
public abstract class Optimizer {
  /**
   * Adds the training step: gradients of {@code loss} for {@code variables}, then the updates.
   *
   * @param learningRate a float32 scalar, usually a placeholder fed each step from a schedule
   * @return one op that runs the whole step
   */
  public final <T extends TFloating> Op minimize(
      GraphSession session,
      Operand<T> loss,
      List<Variable<T>> variables,
      Operand<TFloat32> learningRate) {
    Preconditions.checkArgument(!variables.isEmpty(), "nothing to train: no variables given");
    Output<?>[] xs = variables.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
    Output<?>[] grads = session.graph().addGradients(loss.asOutput(), xs);
    return apply(session, variables, grads, learningRate, loss.type());
  }

  /**
   * Adds the updates for gradients computed elsewhere (for example backpropagated from a gradient
   * seeded at an intermediate output): {@code grads[i]} belongs to {@code variables.get(i)}.
   *
   * @param type the variables' floating type
   * @return one op that runs the whole step
   */
  public final <T extends TFloating> Op apply(
      GraphSession session,
      List<Variable<T>> variables,
      Output<?>[] grads,
      Operand<TFloat32> learningRate,
      Class<T> type) {
    return apply(session, variables, grads, learningRate, type, List.of());
  }

  /**
   * As {@link #apply(GraphSession, List, Output[], Operand, Class)}, with the updates also ordered
   * after {@code readFirst} (for example the loss fetched beside the step, so that it is the loss
   * of the variables before this step's update, never of a half-updated state).
   */
  public final <T extends TFloating> Op apply(
      GraphSession session,
      List<Variable<T>> variables,
      Output<?>[] grads,
      Operand<TFloat32> learningRate,
      Class<T> type,
      List<Operand<?>> readFirst) {
    Preconditions.checkArgument(!variables.isEmpty(), "nothing to train: no variables given");
    Preconditions.checkArgument(
        grads.length == variables.size(),
        "%s gradients for %s variables",
        grads.length,
        variables.size());
    Ops tf = session.tf();
    List<Op> before = new ArrayList<>(gradOps(tf, grads));
    readFirst.forEach(o -> before.add(tf.identity(o)));
    Ops afterGradients = tf.withControlDependencies(before);
    Operand<T> lr = afterGradients.dtypes.cast(learningRate, type);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      @SuppressWarnings("unchecked")
      Operand<T> grad = (Operand<T>) grads[i];
      updates.add(update(afterGradients, variables.get(i), grad, lr));
    }
    Ops afterUpdates = tf.withControlDependencies(updates);
    List<Op> finish = new ArrayList<>(finish(afterUpdates, type));
    finish.addAll(updates);
    return tf.withControlDependencies(finish).withName(name() + ".step").noOp();
  }

  private static List<Op> gradOps(Ops tf, Output<?>[] grads) {
    List<Op> ops = new ArrayList<>();
    for (Output<?> grad : grads) {
      ops.add(tf.identity(grad));
    }
    return ops;
  }

  /** A short name, used as a prefix for the optimizer's own variables. */
  public abstract String name();

  /** The update of one variable, given its gradient and the learning rate (cast to its type). */
  protected abstract <T extends TFloating> Op update(
      Ops tf, Variable<T> variable, Operand<T> gradient, Operand<T> learningRate);

  /** Ops that run after every variable's update (for example advancing bias-correction powers). */
  protected <T extends TFloating> List<Op> finish(Ops tf, Class<T> type) {
    return List.of();
  }

  // Slots are built in the init scope: the update ops run after the gradients, their initializers
  // must not.

  /** A zero-initialized slot variable shaped like {@code variable}, named {@code variable.slot}. */
  protected static <T extends TFloating> Variable<T> slot(
      Ops tf, Variable<T> variable, String slot) {
    Ops init = tf.withInitScope();
    Operand<T> zeros = init.zeros(init.constant(variable.shape().asArray()), variable.type());
    return init.withName(variable.op().name() + "." + slot).variable(zeros);
  }

  /** A scalar variable of the optimizer itself, named {@code optimizer.name}. */
  protected final <T extends TFloating> Variable<T> scalar(
      Ops tf, String name, double initial, Class<T> type) {
    Ops init = tf.withInitScope();
    return init.withName(name() + "." + name)
        .variable(init.dtypes.cast(init.constant(initial), type));
  }

  /**
   * A float32 variable of the optimizer itself holding {@code initial}, named {@code
   * optimizer.name}.
   */
  protected final Variable<TFloat32> variable(Ops tf, String name, float[] initial) {
    Ops init = tf.withInitScope();
    return init.withName(name() + "." + name).variable(init.constant(initial));
  }

  /** A constant of the variable's type. */
  protected static <T extends TFloating> Operand<T> constant(Ops tf, double value, Class<T> type) {
    return tf.dtypes.cast(tf.constant(value), type);
  }
}
