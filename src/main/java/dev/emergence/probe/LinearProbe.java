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
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A linear probe: multinomial logistic regression (two classes: logistic regression) from a
 * representation to a property of the number it belongs to, trained full-batch with Adam in a
 * TensorFlow graph on standardized features, with a small L2 penalty.
 *
 * <p>Cross-validation holds out NUMBERS, not just rows: every fold leaves out at least one number of
 * each class, and is scored on every context of the numbers it left out. A probe that merely
 * recognizes which number it sees (any n random points are linearly separable in enough
 * dimensions) then scores at chance; only a direction shared by the numbers of a class transfers.
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
   * {@code dim} floats per context, {@code values[i]} the number of row i) with numbers held out; null
   * when some class has fewer than two numbers (nothing to hold out). {@code seed} shuffles the numbers into folds.
   *
   * @param numbers the numbers 0..numbers-1 that may occur
   */
  public Double crossValidate(float[] features, int dim, int[] values, int numbers, IntUnaryOperator label, long seed) {
    Preconditions.checkArgument(features.length == values.length * dim, "%s features for %s rows of %s", features.length, values.length, dim);
    // numbers grouped by class, shuffled with the seed
    Map<Integer, List<Integer>> classes = new TreeMap<>();
    for (int v = 0; v < numbers; v++) {
      classes.computeIfAbsent(label.applyAsInt(v), k -> new ArrayList<>()).add(v);
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
    long right = 0;
    long total = 0;
    for (int fold = 0; fold < folds; fold++) {
      List<Integer> train = new ArrayList<>();
      List<Integer> test = new ArrayList<>();
      for (int i = 0; i < values.length; i++) {
        (foldOf[values[i]] == fold ? test : train).add(i);
      }
      if (test.isEmpty() || train.isEmpty()) {
        continue;
      }
      int[] predicted = fitPredict(features, dim, values, classIndex, classCount, train, test);
      for (int k = 0; k < test.size(); k++) {
        right += predicted[k] == classIndex[values[test.get(k)]] ? 1 : 0;
      }
      total += test.size();
    }
    return total == 0 ? null : right / (double) total;
  }

  /** Trains on rows {@code train}, predicts rows {@code test}. */
  int[] fitPredict(
      float[] features, int dim, int[] values, int[] classIndex, int classes, List<Integer> train, List<Integer> test) {
    // standardize with the training rows' mean and deviation
    double[] mean = new double[dim];
    double[] sq = new double[dim];
    for (int i : train) {
      for (int j = 0; j < dim; j++) {
        double x = features[i * dim + j];
        mean[j] += x;
        sq[j] += x * x;
      }
    }
    float[] scale = new float[dim];
    for (int j = 0; j < dim; j++) {
      mean[j] /= train.size();
      double var = sq[j] / train.size() - mean[j] * mean[j];
      scale[j] = var > 1e-12 ? (float) (1 / Math.sqrt(var)) : 0f;
    }
    float[] xTrain = rows(features, dim, train, mean, scale);
    float[] xTest = rows(features, dim, test, mean, scale);
    float[] yTrain = new float[train.size() * classes];
    for (int k = 0; k < train.size(); k++) {
      yTrain[k * classes + classIndex[values[train.get(k)]]] = 1f;
    }
    try (GraphSession s = new GraphSession(session)) {
      Ops tf = s.tf();
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, dim)));
      Placeholder<TFloat32> y = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, classes)));
      Placeholder<TFloat32> lr = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      Ops init = tf.withInitScope();
      Variable<TFloat32> w = init.withName("probe.w").variable(init.zeros(init.constant(new long[] {dim, classes}), TFloat32.class));
      Variable<TFloat32> b = init.withName("probe.b").variable(init.zeros(init.constant(new long[] {classes}), TFloat32.class));
      Operand<TFloat32> wv = tf.identity(w);
      Operand<TFloat32> logits = tf.math.add(tf.linalg.matMul(x, wv), tf.identity(b));
      Operand<TFloat32> ce = tf.nn.softmaxCrossEntropyWithLogits(logits, y).loss();
      Operand<TFloat32> loss =
          tf.math.add(
              tf.math.mean(ce, tf.constant(0)),
              tf.math.mul(tf.constant((float) L2), tf.reduceSum(tf.math.square(wv), tf.constant(new int[] {0, 1}))));
      Op step = Adam.defaults().minimize(s, loss, List.of(w, b), lr);
      Operand<org.tensorflow.types.TInt32> prediction = tf.math.argMax(logits, tf.constant(1), org.tensorflow.types.TInt32.class);
      for (int i = 0; i < STEPS; i++) {
        s.run(
            Feeds.of().floats(x, xTrain, train.size(), dim).floats(y, yTrain, train.size(), classes).scalar(lr, (float) LEARNING_RATE),
            List.of(),
            step);
      }
      return s.run(Feeds.of().floats(x, xTest, test.size(), dim), List.of(prediction)).ints(prediction);
    }
  }

  private static float[] rows(float[] features, int dim, List<Integer> rows, double[] mean, float[] scale) {
    float[] out = new float[rows.size() * dim];
    for (int k = 0; k < rows.size(); k++) {
      int i = rows.get(k);
      for (int j = 0; j < dim; j++) {
        out[k * dim + j] = (float) ((features[i * dim + j] - mean[j]) * scale[j]);
      }
    }
    return out;
  }
}
