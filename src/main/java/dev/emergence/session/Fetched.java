package dev.emergence.session;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableMap;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Values fetched by one session run, copied out of their tensors so that no native memory outlives
 * the run. Look values up by the operand that was fetched.
 */
public final class Fetched {
  /**
   * One fetched value: its shape and a primitive Java array (float[], double[], int[] or long[]).
   */
  // Arrays by design: a fetched tensor's shape and flat values, as TensorFlow gives them.
  @SuppressWarnings("ArrayRecordComponent")
  public record Value(long[] shape, Object data) {}

  private final ImmutableMap<Output<?>, Value> values;

  Fetched(ImmutableMap<Output<?>, Value> values) {
    this.values = values;
  }

  static Value copy(Tensor tensor) {
    long[] shape = tensor.shape().asArray();
    int size = Math.toIntExact(tensor.shape().size());
    if (tensor instanceof TFloat32 t) {
      float[] data = new float[size];
      t.copyTo(DataBuffers.of(data, false, false));
      return new Value(shape, data);
    }
    if (tensor instanceof TFloat64 t) {
      double[] data = new double[size];
      t.copyTo(DataBuffers.of(data, false, false));
      return new Value(shape, data);
    }
    if (tensor instanceof TInt32 t) {
      int[] data = new int[size];
      t.copyTo(DataBuffers.of(data, false, false));
      return new Value(shape, data);
    }
    if (tensor instanceof TInt64 t) {
      long[] data = new long[size];
      t.copyTo(DataBuffers.of(data, false, false));
      return new Value(shape, data);
    }
    throw new IllegalArgumentException(
        "cannot fetch a tensor of type "
            + tensor.dataType()
            + "; expected float, double, int or long");
  }

  public Value value(Operand<?> operand) {
    Value value = values.get(operand.asOutput());
    Preconditions.checkArgument(value != null, "%s was not fetched", operand.asOutput());
    return value;
  }

  public long[] shape(Operand<?> operand) {
    return value(operand).shape();
  }

  public float[] floats(Operand<TFloat32> operand) {
    return (float[]) value(operand).data();
  }

  public double[] doubles(Operand<TFloat64> operand) {
    return (double[]) value(operand).data();
  }

  public int[] ints(Operand<TInt32> operand) {
    return (int[]) value(operand).data();
  }

  public float scalar(Operand<TFloat32> operand) {
    return floats(operand)[0];
  }

  public double scalarDouble(Operand<TFloat64> operand) {
    return doubles(operand)[0];
  }
}
