package dev.emergence.probe;

import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.Mix;
import dev.emergence.nn.GptConfig;
import dev.emergence.optim.AdamWConfig;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import dev.emergence.train.GptExport;
import dev.emergence.train.ListOpsTask;
import dev.emergence.train.ServingGraph;
import dev.emergence.train.TrainConfig;
import dev.emergence.train.TrainingGraph;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Tiny transformer exports for probe tests: trained with the train classes, some weights planted
 * before the export.
 */
public final class TinyExports {
  private TinyExports() {}

  /** What to plant: variable name -> values (row-major, the variable's shape). */
  public interface Planter {
    void plant(Plants plants, GptConfig config);
  }

  /** Collects new values for variables by name (member shapes). */
  public static final class Plants {
    private final Map<String, float[]> weights;

    Plants(Map<String, float[]> weights) {
      this.weights = weights;
    }

    public void matrix(String name, float[][] values) {
      float[] flat = new float[values.length * values[0].length];
      for (int r = 0; r < values.length; r++) {
        System.arraycopy(values[r], 0, flat, r * values[r].length, values[r].length);
      }
      set(name, flat);
    }

    public void vector(String name, float[] values) {
      set(name, values.clone());
    }

    /** Zeroes a variable of any shape. */
    public void zero(String name) {
      set(name, new float[variable(name).length]);
    }

    private void set(String name, float[] values) {
      if (variable(name).length != values.length) {
        throw new IllegalArgumentException(
            name + ": " + values.length + " values for " + variable(name).length);
      }
      weights.put(name, values);
    }

    private float[] variable(String name) {
      float[] current = weights.get(name);
      if (current == null) {
        throw new IllegalArgumentException("no variable " + name);
      }
      return current;
    }
  }

  /** The task of a test: depth-1 expressions of the mix, small sizes. */
  public static ListOpsTask task(
      String mix, int modulus, int testPerOperator, boolean cot, int depth) {
    GeneratorConfig generator =
        GeneratorConfig.defaults(Mix.parse(mix)).withModulus(modulus).withMaxDepth(depth);
    return ListOpsTask.build(generator, new DatasetSpec(400, 10, testPerOperator), 11, cot);
  }

  /**
   * Builds a model for the task, trains it {@code steps} steps (answer loss, lr 1e-2), plants
   * weights, and exports it to {@code dir}.
   */
  public static Path export(
      Path dir, ListOpsTask task, UnaryOperator<GptConfig> shape, int steps, Planter planter) {
    GptConfig config = shape.apply(GptConfig.of(task.vocab(), task.length() - 1, 1, 1, 16));
    Map<String, float[]> weights;
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      int batch = 32;
      TrainingGraph graph =
          new TrainingGraph(
              s, config, new long[] {5}, batch, task.length(), AdamWConfig.defaults(), 0, 1);
      int[] ids = new int[batch * task.length()];
      float[] mask = new float[batch * task.length()];
      SplittableRandom random = new SplittableRandom(3);
      for (int step = 0; step < steps; step++) {
        int[] rows = new int[batch];
        for (int r = 0; r < batch; r++) {
          rows[r] = random.nextInt(task.trainSize());
        }
        task.trainBatch(rows, TrainConfig.LossOn.ANSWER, ids, mask);
        graph.trainStep(ids, mask, new float[] {1e-2f}, new float[] {1f}, false);
      }
      weights = graph.weights(0);
    }
    if (planter != null) {
      planter.plant(new Plants(weights), config);
    }
    try (ServingGraph graph = ServingGraph.of(SessionConfig.defaults(), config, 5, weights)) {
      GptExport.export(graph, task, dir, false);
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
