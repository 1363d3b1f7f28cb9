package dev.emergence.experiments;

import dev.emergence.report.Json;
import dev.emergence.report.Plots;
import dev.emergence.report.RunDirectory;
import dev.emergence.train.AdamW;
import dev.emergence.train.Feeds;
import dev.emergence.train.Fetched;
import dev.emergence.train.GraphSession;
import dev.emergence.train.LearningRateSchedule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job with default settings, in about a minute on two cores: trains a small model through
 * the training core and writes a run directory with a table and a plot.
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description = "The main job: a short end-to-end run that writes a table, a plot and a run directory.")
public final class Quickstart implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--steps", description = "Training steps (default: ${DEFAULT-VALUE}).")
  int steps = 600;

  @Override
  public Integer call() {
    Path out = common.outOr("quickstart");
    RunDirectory run = RunDirectory.create(out);
    run.writeConfig(Map.of("command", "quickstart", "steps", steps, "seed", common.seed, "threads", common.threads));
    long start = System.nanoTime();
    List<double[]> curve = new ArrayList<>();
    double accuracy = trainModularAddition(run, curve);
    double wall = (System.nanoTime() - start) / 1e9;
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("task", "(a + b) mod 10 from one-hot digits");
    result.put("steps", steps);
    result.put("accuracy", accuracy);
    result.put("wall_s", wall);
    run.writeResult(result);
    Plots.savePng(
        Plots.lines(
            "quickstart: training loss",
            "step",
            "loss",
            Map.of("loss", new Plots.Series(curve.stream().mapToDouble(p -> p[0]).toArray(), curve.stream().mapToDouble(p -> p[1]).toArray())),
            false,
            true),
        out.resolve("loss.png"));
    System.out.printf("%-36s %10s %8s%n", "task", "accuracy", "wall_s");
    System.out.printf("%-36s %10.3f %8.1f%n", result.get("task"), accuracy, wall);
    System.out.println("run directory: " + out + " (config.json, metrics.jsonl, result.json, loss.png)");
    System.out.println(
        "still to come here: ListOps transformers (train, sweep, curriculum, probe) and heat-diffusion"
            + " reparametrization (reparam), as those commands land");
    return 0;
  }

  /** A one-hidden-layer network learns the addition table mod 10; returns its accuracy on all 100 pairs. */
  private double trainModularAddition(RunDirectory run, List<double[]> curve) {
    int[] inputs = new int[200];
    int[] labels = new int[100];
    for (int a = 0; a < 10; a++) {
      for (int b = 0; b < 10; b++) {
        inputs[2 * (10 * a + b)] = a;
        inputs[2 * (10 * a + b) + 1] = 10 + b;
        labels[10 * a + b] = (a + b) % 10;
      }
    }
    try (GraphSession s = new GraphSession(common.sessionConfig())) {
      Ops tf = s.tf();
      Placeholder<TInt32> x = tf.withName("x").placeholder(TInt32.class);
      Placeholder<TInt32> y = tf.withName("y").placeholder(TInt32.class);
      Placeholder<TFloat32> lr = tf.withName("lr").placeholder(TFloat32.class);
      Variable<TFloat32> embed = tf.withName("embed").variable(normal(tf, new long[] {20, 64}, 1, 0.5f));
      Variable<TFloat32> hidden = tf.withName("hidden").variable(normal(tf, new long[] {128, 128}, 2, 0.1f));
      Variable<TFloat32> head = tf.withName("head").variable(normal(tf, new long[] {128, 10}, 3, 0.1f));
      Operand<TFloat32> pair = tf.reshape(tf.gather(tf.identity(embed), x, tf.constant(0)), tf.constant(new long[] {-1, 128}));
      Operand<TFloat32> h = tf.nn.relu(tf.linalg.matMul(pair, tf.identity(hidden)));
      Operand<TFloat32> logits = tf.linalg.matMul(h, tf.identity(head));
      Operand<TFloat32> loss =
          tf.math.mean(tf.nn.sparseSoftmaxCrossEntropyWithLogits(logits, y).loss(), tf.constant(0));
      Operand<TFloat32> correct =
          tf.math.mean(tf.dtypes.cast(tf.math.equal(tf.math.argMax(logits, tf.constant(1), TInt32.class), y), TFloat32.class), tf.constant(0));
      Op step = new AdamW(AdamW.Config.defaults()).minimize(s, loss, List.of(embed, hidden, head), lr);
      LearningRateSchedule schedule = LearningRateSchedule.warmupCosine(1e-2, 50, steps, 0.1);
      double accuracy = 0;
      for (int t = 0; t < steps; t++) {
        Feeds feeds = Feeds.of().ints(x, inputs, 100, 2).ints(y, labels, 100).scalar(lr, (float) schedule.at(t));
        Fetched f = s.run(feeds, List.of(loss, correct), step);
        accuracy = f.scalar(correct);
        if (t % 20 == 0 || t == steps - 1) {
          curve.add(new double[] {t, f.scalar(loss)});
          run.appendMetrics(Map.of("step", t, "loss", f.scalar(loss), "accuracy", accuracy));
        }
      }
      return accuracy;
    }
  }

  private static Operand<TFloat32> normal(Ops tf, long[] shape, long seed, float std) {
    return tf.math.mul(
        tf.random.statelessRandomNormal(tf.constant(shape), tf.constant(new long[] {seed, 0}), TFloat32.class),
        tf.constant(std));
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new Quickstart(), args);
  }
}
