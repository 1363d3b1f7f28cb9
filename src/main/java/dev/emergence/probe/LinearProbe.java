package dev.emergence.probe;

import com.google.common.base.Preconditions;
import dev.emergence.optim.Adam;
import dev.emergence.session.Feeds;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A linear probe: multinomial logistic regression (two classes: logistic regression) from a
 * representation to a property of the number it belongs to, trained full-batch with Adam in a
 * TensorFlow graph on standardized features, with a small L2 penalty.
 *
 * <p>Cross-validation holds out NUMBERS, not just rows: every fold leaves out at least one number
 * of each class, and is scored on every context of the numbers it left out. A probe that merely
 * recognizes which number it sees (any n random points are linearly separable in enough dimensions)
 * then scores at chance; only a direction shared by the numbers of a class transfers.
 */
public final class LinearProbe {
  /** Full-batch Adam steps per fit. */
  public static final int STEPS = 300;

  public static final double LEARNING_RATE = 0.05;
  public static final double L2 = 1e-3;

  /** At most this many folds (numbers of a class are dealt round-robin to the folds). */
  public static final int MAX_FOLDS = 10;

  private final SessionConfig session;

  public LinearProbe(SessionConfig session) {
    this.session = session;
  }

  /**
   * Cross-validated accuracy of predicting {@code label(value)} from {@code features} (one row of
   * {@code dim} floats per context, {@code values[i]} the number of row i) with numbers held out;
   * null when some class has fewer than two numbers (nothing to hold out). {@code seed} shuffles
   * the numbers into folds. A number labelled below 0 is left out, with its rows.
   *
   * @param numbers the numbers 0..numbers-1 that may occur
   */
  public Double crossValidate(
      float[] features, int dim, int[] values, int numbers, IntUnaryOperator label, long seed) {
    Preconditions.checkArgument(
        features.length == values.length * dim,
        "%s features for %s rows of %s",
        features.length,
        values.length,
        dim);
    int[] rows =
        IntStream.range(0, values.length).filter(i -> label.applyAsInt(values[i]) >= 0).toArray();
    if (rows.length < values.length) {
      float[] kept = new float[rows.length * dim];
      int[] keptValues = new int[rows.length];
      for (int r = 0; r < rows.length; r++) {
        System.arraycopy(features, rows[r] * dim, kept, r * dim, dim);
        keptValues[r] = values[rows[r]];
      }
      return crossValidate(kept, dim, keptValues, numbers, label, seed);
    }
    // numbers grouped by class, shuffled with the seed
    Map<Integer, List<Integer>> classes = new TreeMap<>();
    for (int v = 0; v < numbers; v++) {
      if (label.applyAsInt(v) >= 0) {
        classes.computeIfAbsent(label.applyAsInt(v), k -> new ArrayList<>()).add(v);
      }
    }
    int classCount = classes.size();
    int smallest = classes.values().stream().mapToInt(List::size).min().orElse(0);
    if (classCount < 2 || smallest < 2) {
      return null;
    }
    int folds = Math.min(smallest, MAX_FOLDS);
    int[] foldOf = new int[numbers];
    SplittableRandom random = new SplittableRandom(seed);
    int[] classIndex = new int[numbers];
    int c = 0;
    for (List<Integer> members : classes.values()) {
      List<Integer> shuffled = new ArrayList<>(members);
      for (int i = shuffled.size() - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        Integer t = shuffled.get(i);
        shuffled.set(i, shuffled.get(j));
        shuffled.set(j, t);
      }
      for (int i = 0; i < shuffled.size(); i++) {
        foldOf[shuffled.get(i)] = i % folds;
        classIndex[shuffled.get(i)] = c;
      }
      c++;
    }
    int[] labels = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      labels[i] = classIndex[values[i]];
    }
    int[] fold = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      fold[i] = foldOf[values[i]];
    }
    int[][] predicted = fitPredict(features, dim, labels, classCount, fold, folds);
    long right = 0;
    for (int i = 0; i < values.length; i++) {
      right += predicted[fold[i]][i] == labels[i] ? 1 : 0;
    }
    return values.length == 0 ? null : right / (double) values.length;
  }

  /**
   * Fits one probe per fold, all folds at once in one graph (their losses are summed but share no
   * parameter, and Adam is elementwise, so each fold trains as if alone), each on the rows outside
   * it, standardized with those rows' statistics. Returns every fold's prediction for every row
   * {@code [folds][rows]}.
   */
  int[][] fitPredict(
      float[] features, int dim, int[] labels, int classes, int[] foldOfRow, int folds) {
    int n = labels.length;
    float[] x = new float[folds * n * dim];
    float[] mask = new float[folds * n];
    for (int f = 0; f < folds; f++) {
      double[] mean = new double[dim];
      double[] sq = new double[dim];
      int count = 0;
      for (int i = 0; i < n; i++) {
        if (foldOfRow[i] == f) {
          continue;
        }
        mask[f * n + i] = 1f;
        count++;
        for (int j = 0; j < dim; j++) {
          double v = features[i * dim + j];
          mean[j] += v;
          sq[j] += v * v;
        }
      }
      for (int j = 0; j < dim; j++) {
        mean[j] /= Math.max(count, 1);
        double var = sq[j] / Math.max(count, 1) - mean[j] * mean[j];
        double scale = var > 1e-12 ? 1 / Math.sqrt(var) : 0;
        for (int i = 0; i < n; i++) {
          x[(f * n + i) * dim + j] = (float) ((features[i * dim + j] - mean[j]) * scale);
        }
      }
    }
    float[] y = new float[folds * n * classes];
    for (int f = 0; f < folds; f++) {
      for (int i = 0; i < n; i++) {
        y[(f * n + i) * classes + labels[i]] = 1f;
      }
    }
    try (GraphSession s = new GraphSession(session)) {
      // the data are constants of this small graph: a step feeds nothing
      Ops tf = s.tf();
      Operand<TFloat32> xs = tf.constant(Shape.of(folds, n, dim), DataBuffers.of(x, true, false));
      Operand<TFloat32> ys =
          tf.constant(Shape.of((long) folds * n, classes), DataBuffers.of(y, true, false));
      Operand<TFloat32> weights =
          tf.constant(Shape.of(folds, n), DataBuffers.of(mask, true, false));
      Ops init = tf.withInitScope();
      Variable<TFloat32> w =
          init.withName("probe.w")
              .variable(
                  init.zeros(init.constant(new long[] {folds, dim, classes}), TFloat32.class));
      Variable<TFloat32> b =
          init.withName("probe.b")
              .variable(init.zeros(init.constant(new long[] {folds, 1, classes}), TFloat32.class));
      Operand<TFloat32> wv = tf.identity(w);
      Operand<TFloat32> logits =
          tf.math.add(
              tf.train.batchMatMul(xs, wv, TFloat32.class), tf.identity(b)); // [folds, n, classes]
      Operand<TFloat32> ce = // [folds, n]
          tf.reshape(
              tf.nn
                  .softmaxCrossEntropyWithLogits(
                      tf.reshape(logits, tf.constant(new int[] {-1, classes})), ys)
                  .loss(),
              tf.constant(new int[] {folds, n}));
      Operand<TFloat32> perFold = // mean loss over each fold's training rows
          tf.math.div(
              tf.reduceSum(tf.math.mul(ce, weights), tf.constant(1)),
              tf.math.maximum(tf.reduceSum(weights, tf.constant(1)), tf.constant(1f)));
      Operand<TFloat32> loss =
          tf.math.add(
              tf.reduceSum(perFold, tf.constant(0)),
              tf.math.mul(
                  tf.constant((float) L2),
                  tf.reduceSum(tf.math.square(wv), tf.constant(new int[] {0, 1, 2}))));
      Op step =
          Adam.defaults().minimize(s, loss, List.of(w, b), tf.constant((float) LEARNING_RATE));
      Operand<TInt32> prediction =
          tf.math.argMax(logits, tf.constant(2), TInt32.class); // [folds, n]
      for (int i = 0; i < STEPS; i++) {
        s.run(step);
      }
      int[] flat = s.run(Feeds.of(), List.of(prediction)).ints(prediction);
      int[][] out = new int[folds][];
      for (int f = 0; f < folds; f++) {
        out[f] = java.util.Arrays.copyOfRange(flat, f * n, (f + 1) * n);
      }
      return out;
    }
  }
}
