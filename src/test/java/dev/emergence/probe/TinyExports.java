package dev.emergence.probe;

import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.Mix;
import dev.emergence.nn.GptConfig;
import dev.emergence.optim.AdamWConfig;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import dev.emergence.train.GptExport;
import dev.emergence.train.GptGraph;
import dev.emergence.train.ListOpsTask;
import dev.emergence.train.TrainConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Tiny transformer exports for probe tests: built with the train classes, weights planted by assignment. */
public final class TinyExports {
  private TinyExports() {}

  /** What to plant: variable name -> values (row-major, the variable's shape). */
  public interface Planter {
    void plant(Plants plants, GptConfig config);
  }

  /** Collects assignments to variables by name. */
  public static final class Plants {
    private final Ops tf;
    private final GptGraph graph;
    private final List<Op> ops = new ArrayList<>();

    Plants(Ops tf, GptGraph graph) {
      this.tf = tf;
      this.graph = graph;
    }

    public void matrix(String name, float[][] values) {
      ops.add(tf.assign(variable(name), tf.constant(values)));
    }

    public void vector(String name, float[] values) {
      ops.add(tf.assign(variable(name), tf.constant(values)));
    }

    /** Zeroes a variable of any shape. */
    public void zero(String name) {
      Variable<TFloat32> v = variable(name);
      ops.add(tf.assign(v, tf.zeros(tf.constant(v.shape().asArray()), TFloat32.class)));
    }

    private Variable<TFloat32> variable(String name) {
      return graph.model().variables().stream()
          .filter(v -> v.op().name().equals(name))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no variable " + name));
    }
  }

  /** The task of a test: depth-1 expressions of the mix, small sizes. */
  public static ListOpsTask task(String mix, int modulus, int testPerOperator, boolean cot, int depth) {
    GeneratorConfig generator = GeneratorConfig.defaults(Mix.parse(mix)).withModulus(modulus).withMaxDepth(depth);
    return ListOpsTask.build(generator, new DatasetSpec(400, 10, testPerOperator), 11, cot);
  }

  /**
   * Builds a model for the task, trains it {@code steps} steps (answer loss, lr 1e-2), plants weights,
   * and exports it to {@code dir}.
   */
  public static Path export(
      Path dir, ListOpsTask task, UnaryOperator<GptConfig> shape, int steps, Planter planter) {
    GptConfig config = shape.apply(GptConfig.of(task.vocab(), task.length() - 1, 1, 1, 16));
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      int batch = 32;
      GptGraph graph = new GptGraph(s, config, batch, task.length(), AdamWConfig.defaults(), 5);
      Plants plants = new Plants(s.tf(), graph);
      if (planter != null) {
        planter.plant(plants, config);
      }
      int[] ids = new int[batch * task.length()];
      float[] mask = new float[batch * task.length()];
      SplittableRandom random = new SplittableRandom(3);
      for (int step = 0; step < steps; step++) {
        int[] rows = new int[batch];
        for (int r = 0; r < batch; r++) {
          rows[r] = random.nextInt(task.trainSize());
        }
        task.trainBatch(rows, TrainConfig.LossOn.ANSWER, ids, mask);
        graph.trainStep(ids, mask, 1e-2, false);
      }
      if (!plants.ops.isEmpty()) {
        s.run(plants.ops.toArray(Op[]::new));
      }
      GptExport.export(s, graph, task, dir, false);
    }
    return dir;
  }

  /** Row {@code v} of a matrix {@code rows x cols} of N(0, 1) draws. */
  public static float[][] gaussian(int rows, int cols, long seed) {
    java.util.Random random = new java.util.Random(seed);
    float[][] out = new float[rows][cols];
    for (float[] row : out) {
      for (int j = 0; j < cols; j++) {
        row[j] = (float) random.nextGaussian();
      }
    }
    return out;
  }
}
