package dev.emergence.session;

import com.google.common.base.Preconditions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/**
 * Tensors to feed into one session run. A Feeds owns the tensors it creates and closes them; {@link
 * GraphSession#run} closes it after the run. Arrays are wrapped without per-element boxing.
 */
public final class Feeds implements AutoCloseable {
  private final Map<Operand<?>, Tensor> tensors = new LinkedHashMap<>();

  public static Feeds of() {
    return new Feeds();
  }

  public Feeds scalar(Operand<TFloat32> placeholder, float value) {
    return put(placeholder, TFloat32.scalarOf(value));
  }

  public Feeds floats(Operand<TFloat32> placeholder, float[] values, long... shape) {
    checkSize(values.length, shape);
    return put(
        placeholder, TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false)));
  }

  public Feeds doubles(Operand<TFloat64> placeholder, double[] values, long... shape) {
    checkSize(values.length, shape);
    return put(
        placeholder, TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false)));
  }

  public Feeds ints(Operand<TInt32> placeholder, int[] values, long... shape) {
    checkSize(values.length, shape);
    return put(placeholder, TInt32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false)));
  }

  /** Feeds a tensor the caller created; this Feeds takes ownership and closes it. */
  public Feeds put(Operand<?> placeholder, Tensor tensor) {
    Tensor previous = tensors.put(placeholder, tensor);
    if (previous != null) {
      previous.close();
    }
    return this;
  }

  Map<Operand<?>, Tensor> tensors() {
    return tensors;
  }

  @Override
  public void close() {
    tensors.values().forEach(Tensor::close);
    tensors.clear();
  }

  private static void checkSize(int length, long[] shape) {
    long size = Shape.of(shape).size();
    Preconditions.checkArgument(
        size == length,
        "feed of %s values does not fill shape %s (%s values expected)",
        length,
        Shape.of(shape),
        size);
  }
}
