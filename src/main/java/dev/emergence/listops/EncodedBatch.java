package dev.emergence.listops;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A batch of model sequences, row-major {@code [batchSize, length]}, without boxing. A row is the
 * expression tokens, {@code =}, the answer tokens (the number, or the chain-of-thought steps joined
 * by {@code =} and then the number), {@code <end>}, then {@code <pad>}.
 *
 * <p>Training uses inputs {@code ids[:, 0..length-2]} and targets {@code ids[:, 1..length-1]}; the
 * loss mask is aligned with the inputs: {@code lossMask[b, t] = 1} exactly when the token at {@code
 * t + 1} belongs to the answer (everything after the first {@code =} up to and including {@code
 * <end>}), i.e. for {@code equalsPosition[b] <= t < position of <end>}. The last column is
 * therefore always 0.
 *
 * @param ids token ids, {@code batchSize * length}
 * @param lossMask 1 on target positions (see above), {@code batchSize * length}
 * @param equalsPositions index of the first {@code =} in each row (the position that predicts the
 *     answer without chain of thought)
 * @param answers the value of each expression
 */
// Arrays by design: flat primitive arrays are the tensor buffers fed to TensorFlow.
@SuppressWarnings("ArrayRecordComponent")
public record EncodedBatch(
    int batchSize, int length, int[] ids, float[] lossMask, int[] equalsPositions, int[] answers) {

  /** The ids as a {@code [batchSize, length]} int32 tensor; the caller closes it. */
  public TInt32 idsTensor() {
    return TInt32.tensorOf(Shape.of(batchSize, length), DataBuffers.of(ids, true, false));
  }

  /** The loss mask as a {@code [batchSize, length]} float32 tensor; the caller closes it. */
  public TFloat32 lossMaskTensor() {
    return TFloat32.tensorOf(Shape.of(batchSize, length), DataBuffers.of(lossMask, true, false));
  }

  public int id(int row, int position) {
    return ids[row * length + position];
  }
}
