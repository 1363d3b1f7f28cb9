package dev.emergence.train;

import com.google.common.base.Preconditions;
import dev.emergence.session.Feeds;
import dev.emergence.session.Fetched;
import dev.emergence.session.GraphSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * One member of a stack as an ordinary single model: the graph {@link Trainer} builds for that seed
 * ({@link GptGraph}, same names, same signatures) holding the member's slice of every stacked variable
 * (weights, AdamW moments and beta powers). The values travel through a TensorFlow checkpoint, so the
 * single graph gets no extra ops: its SavedModel is the one a model trained alone would export.
 */
public final class StackedExport {
  private StackedExport() {}

  /**
   * A session holding member {@code member} as a single model of its own task's row length; the
   * caller closes it. {@code graphOut[0]} receives the single graph.
   */
  public static GraphSession single(GraphSession stack, StackedTrainer trainer, int member, TrainConfig config, GptGraph[] graphOut) {
    StackedTrainer.Member m = trainer.members().get(member);
    GraphSession single = new GraphSession(stack.config());
    try {
      GptGraph graph = new GptGraph(single, trainer.graph().config(), config.batch(), m.task().length(), config.adam(), m.seed());
      graphOut[0] = graph;
      List<GraphOperation> variables = new ArrayList<>();
      for (Iterator<GraphOperation> it = single.graph().operations(); it.hasNext(); ) {
        GraphOperation op = it.next();
        if (op.type().equals("VariableV2")) {
          variables.add(op);
        }
      }
      List<Operand<TFloat32>> fetches = new ArrayList<>();
      for (GraphOperation op : variables) {
        GraphOperation stacked = stack.graph().operation(op.name());
        Preconditions.checkState(stacked != null, "the stack has no variable %s", op.name());
        fetches.add(stacked.<TFloat32>output(0));
      }
      Fetched values = stack.run(Feeds.of(), fetches);
      Path dir = Files.createTempDirectory("member-");
      try (GraphSession carrier = new GraphSession(stack.config())) {
        Ops tf = carrier.tf();
        int k = trainer.members().size();
        for (int i = 0; i < variables.size(); i++) {
          GraphOperation op = variables.get(i);
          Output<TFloat32> out = op.output(0);
          Shape shape = out.shape();
          float[] all = values.floats(fetches.get(i));
          int size = Math.toIntExact(shape.size());
          Preconditions.checkState(all.length == (long) size * k, "variable %s: %s values for %s members of %s", op.name(), all.length, k, shape);
          float[] slice = Arrays.copyOfRange(all, member * size, (member + 1) * size);
          tf.withName(op.name()).variable(tf.constant(shape, DataBuffers.of(slice, true, false)));
        }
        carrier.session().initialize();
        carrier.save(dir.resolve("member").toString());
        single.restore(dir.resolve("member").toString());
      } finally {
        dev.emergence.report.AtomicFiles.deleteRecursively(dir);
      }
      return single;
    } catch (IOException e) {
      single.close();
      throw new UncheckedIOException("cannot hand member " + member + " to a single graph: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      single.close();
      throw e;
    }
  }

  /** Exports member {@code member} as a single-model SavedModel ({@link GptExport}) at {@code dir}. */
  public static void export(GraphSession stack, StackedTrainer trainer, int member, TrainConfig config, Path dir, boolean replace) {
    GptGraph[] graph = new GptGraph[1];
    try (GraphSession single = single(stack, trainer, member, config, graph)) {
      GptExport.export(single, graph[0], trainer.members().get(member).task(), dir, replace);
    }
  }
}
