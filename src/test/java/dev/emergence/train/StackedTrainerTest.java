package dev.emergence.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.Mix;
import dev.emergence.nn.GptConfig;
import dev.emergence.session.Feeds;
import dev.emergence.session.Fetched;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** A stack of models trains each member exactly as it would train alone. */
class StackedTrainerTest {
  /** Members: own seed, own learning rate, own operator mix (so rows of different lengths share the stack). */
  private static final long[] SEEDS = {0, 5, 9};
  private static final double[] RATES = {3e-3, 1e-3, 5e-3};
  private static final String[] MIXES = {"MAX", "SUM", "MAX,MIN"};

  private static List<StackedTrainer.Member> members() {
    List<StackedTrainer.Member> out = new ArrayList<>();
    for (int m = 0; m < SEEDS.length; m++) {
      GeneratorConfig generator = GeneratorConfig.defaults(Mix.parse(MIXES[m])).withMaxDepth(2);
      out.add(new StackedTrainer.Member(SEEDS[m], RATES[m], ListOpsTask.build(generator, new DatasetSpec(2000, 40, 60), SEEDS[m], false)));
    }
    return out;
  }

  private static GptConfig model(List<StackedTrainer.Member> members) {
    int length = members.stream().mapToInt(m -> m.task().length()).max().orElseThrow();
    return GptConfig.of(members.get(0).task().vocab(), length - 1, 1, 2, 16);
  }

  private static TrainConfig training(int steps) {
    return TrainConfig.builder().steps(steps).batch(32).evalEvery(25).warmupSteps(10).lossEvery(5).build();
  }

  @Test
  void stackOfThreeReproducesThreeSeparateTrainings() {
    int steps = Integer.getInteger("stack.steps", 100);
    List<StackedTrainer.Member> members = members();
    GptConfig model = model(members);
    TrainConfig train = training(steps);
    List<float[]> stackedWeights;
    List<StackedTrainer.Outcome> outcomes;
    List<String> names;
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      StackedTrainer trainer = new StackedTrainer(s, model, train, members);
      outcomes = trainer.run((m, line) -> {}, false);
      stackedWeights = values(s, trainer.graph().model().variables());
      names = trainer.graph().model().variables().stream().map(v -> v.op().name()).toList();
    }
    double worstLoss = 0;
    double worstWeight = 0;
    double keyBias = 0;
    List<String> failures = new ArrayList<>();
    for (int m = 0; m < SEEDS.length; m++) {
      TrainConfig alone = train.toBuilder().learningRate(RATES[m]).build();
      try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
        Trainer trainer = new Trainer(s, model, alone, members.get(m).task(), SEEDS[m]);
        Trainer.Result single = trainer.run(line -> {}, false);
        Trainer.Result stacked = outcomes.get(m).result();
        assertEquals(single.steps(), stacked.steps());
        double lossDiff = Math.abs(single.finalLoss() - stacked.finalLoss()) / Math.abs(single.finalLoss());
        worstLoss = Math.max(worstLoss, lossDiff);
        List<float[]> weights = values(s, trainer.graph().model().variables());
        for (int i = 0; i < weights.size(); i++) {
          float[] a = weights.get(i);
          float[] b = Arrays.copyOfRange(stackedWeights.get(i), m * a.length, (m + 1) * a.length);
          if (names.get(i).endsWith("attn.qkv.b")) {
            // The key bias has a zero gradient in exact arithmetic (softmax ignores a constant added to
            // every score of a row); Adam turns its rounding noise into full-size steps in any two
            // implementations. It cannot change an output; compare the query and value biases only.
            int d = model.dModel();
            keyBias = Math.max(keyBias, relative(Arrays.copyOfRange(a, d, 2 * d), Arrays.copyOfRange(b, d, 2 * d)));
            a = withoutKeys(a, d);
            b = withoutKeys(b, d);
          }
          worstWeight = Math.max(worstWeight, relative(a, b));
          if (relative(a, b) > 1e-5) {
            failures.add(names.get(i) + " of seed " + SEEDS[m] + " differs by " + relative(a, b) + " (relative) after " + steps + " steps");
          }
        }
        if (lossDiff > 1e-5) {
          failures.add("final loss of seed " + SEEDS[m] + ": " + single.finalLoss() + " alone, " + stacked.finalLoss() + " stacked");
        }
        assertEquals(single.majorityBaseline(), stacked.majorityBaseline());
        assertEquals(single.testAccuracy().keySet(), stacked.testAccuracy().keySet());
      }
    }
    System.out.printf(
        "stack of 3 vs alone after %d steps: largest relative difference loss %.3g, weights %.3g (key bias, gradient 0 in exact arithmetic: %.3g)%n",
        steps, worstLoss, worstWeight, keyBias);
    assertTrue(failures.isEmpty(), String.join("; ", failures));
  }

  @Test
  void aStoppedMemberDoesNotChange() {
    List<StackedTrainer.Member> members = members();
    GptConfig model = model(members);
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      StackedTrainer trainer = new StackedTrainer(s, model, training(10), members);
      TrainingGraph graph = trainer.graph();
      List<Variable<TFloat32>> all = new ArrayList<>(graph.model().variables());
      for (Variable<TFloat32> v : graph.model().variables()) {
        all.add(slot(s, v.op().name() + ".m"));
        all.add(slot(s, v.op().name() + ".v"));
      }
      all.addAll(graph.optimizer.powers());
      int k = SEEDS.length;
      int[] ids = new int[k * graph.batch() * graph.length()];
      float[] mask = new float[ids.length];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = 3 + i % 7;
        mask[i] = i % graph.length() == 4 || i % graph.length() == 5 ? 1f : 0f;
      }
      graph.trainStep(ids, mask, new float[] {1e-2f, 1e-2f, 1e-2f}, new float[] {1, 1, 1}, false);
      List<float[]> before = values(s, all);
      for (int step = 0; step < 3; step++) {
        graph.trainStep(ids, mask, new float[] {1e-2f, 0f, 1e-2f}, new float[] {1, 0, 1}, true);
      }
      List<float[]> after = values(s, all);
      for (int i = 0; i < all.size(); i++) {
        int size = before.get(i).length / k;
        assertArrayEquals(Arrays.copyOfRange(before.get(i), size, 2 * size), Arrays.copyOfRange(after.get(i), size, 2 * size), all.get(i).op().name() + " of the stopped member");
        if (i == 0) {
          assertFalse(Arrays.equals(Arrays.copyOfRange(before.get(i), 0, size), Arrays.copyOfRange(after.get(i), 0, size)), "an active member trains on");
        }
      }
    }
  }

  @Test
  void earlyStoppedMembersStopAtTheirStep() {
    List<StackedTrainer.Member> members = members();
    TrainConfig train = training(60).toBuilder().evalEvery(10).target(0.0, 2).build();
    List<Integer> metricSteps = new ArrayList<>();
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      List<StackedTrainer.Outcome> outcomes = new StackedTrainer(s, model(members), train, members).run((m, line) -> metricSteps.add((Integer) line.get("step")), false);
      for (StackedTrainer.Outcome o : outcomes) {
        assertTrue(o.result().earlyStopped());
        assertEquals(20, o.result().steps());
      }
      assertEquals(List.of(10, 10, 10, 20, 20, 20), metricSteps);
    }
  }

  @Test
  void exportedMemberLoadsAndPredictsLikeTheModelTrainedAlone(@TempDir Path dir) {
    List<StackedTrainer.Member> members = members();
    GptConfig model = model(members);
    TrainConfig train = training(40);
    int m = 1;
    int t = members.get(m).task().length() - 1;
    int[] input = Arrays.copyOf(members.get(m).task().encode(members.get(m).task().test().values().iterator().next()).ids(), 4 * (t + 1));
    int[] rows = new int[4 * t];
    for (int r = 0; r < 4; r++) System.arraycopy(input, r * (t + 1), rows, r * t, t);
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      StackedTrainer trainer = new StackedTrainer(s, model, train, members);
      trainer.run((k, line) -> {}, false);
      StackedExport.export(s, trainer, m, train, dir.resolve("member"), false);
    }
    float[] alone;
    int[] alonePredictions;
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Trainer trainer = new Trainer(s, model, train.toBuilder().learningRate(RATES[m]).build(), members.get(m).task(), SEEDS[m]);
      trainer.run(line -> {}, false);
      alone = trainer.graph().logits(rows, 4, t);
      alonePredictions = trainer.graph().predict(rows, 4, t);
    }
    try (SavedModelBundle bundle = ModelExport.load(dir.resolve("member"));
        TInt32 ids = TInt32.tensorOf(Shape.of(4, t), DataBuffers.of(rows, true, false));
        Result out = bundle.function(GptGraph.SERVING).call(Map.of("input", ids))) {
      TFloat32 logits = (TFloat32) out.get("logits").orElseThrow();
      float[] loaded = new float[Math.toIntExact(logits.shape().size())];
      logits.copyTo(DataBuffers.of(loaded, false, false));
      assertTrue(relative(alone, loaded) <= 1e-4, "logits differ by " + relative(alone, loaded));
      int v = model.vocab();
      for (int i = 0; i < alonePredictions.length; i++) {
        int best = 0;
        for (int j = 1; j < v; j++) if (loaded[i * v + j] > loaded[i * v + best]) best = j;
        assertEquals(alonePredictions[i], best, "prediction " + i);
      }
      assertTrue(bundle.graph().operation("train.lr") != null && bundle.graph().operation("adamw.beta1_power") != null, "the ordinary single-model graph");
      assertTrue(bundle.graph().operation("train.active") == null, "no trace of the stack");
    }
  }

  @Test
  void aKilledStackResumesFromItsLastCheckpoint(@TempDir Path dir) {
    List<StackedTrainer.Member> members = members();
    GptConfig model = model(members);
    TrainConfig train = training(50).toBuilder().evalEvery(10).build();
    List<float[]> uninterrupted;
    List<StackedTrainer.Outcome> expected;
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      StackedTrainer trainer = new StackedTrainer(s, model, train, members);
      expected = trainer.run((k, line) -> {}, false);
      uninterrupted = values(s, trainer.graph().model().variables());
    }
    StackedTrainer.Checkpoints checkpoints = new StackedTrainer.Checkpoints(dir, 20);
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      StackedTrainer trainer = new StackedTrainer(s, model, train, members);
      assertThrows(IllegalStateException.class, () -> trainer.run((k, line) -> {
        if ((Integer) line.get("step") == 30) throw new IllegalStateException("killed");
      }, false, checkpoints));
    }
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      StackedTrainer trainer = new StackedTrainer(s, model, train, members);
      List<Integer> resumedAt = new ArrayList<>();
      List<StackedTrainer.Outcome> resumed = trainer.run((k, line) -> resumedAt.add((Integer) line.get("step")), false, checkpoints);
      assertEquals(30, resumedAt.get(0), "continues after the checkpoint of step 20");
      List<float[]> weights = values(s, trainer.graph().model().variables());
      for (int i = 0; i < weights.size(); i++) {
        assertArrayEquals(uninterrupted.get(i), weights.get(i), "variable " + i);
      }
      for (int k = 0; k < members.size(); k++) {
        assertEquals(expected.get(k).result().finalLoss(), resumed.get(k).result().finalLoss());
        assertEquals(expected.get(k).result().testAccuracy(), resumed.get(k).result().testAccuracy());
      }
    }
  }

  private static float[] withoutKeys(float[] qkvBias, int d) {
    float[] out = new float[2 * d];
    System.arraycopy(qkvBias, 0, out, 0, d);
    System.arraycopy(qkvBias, 2 * d, out, d, d);
    return out;
  }

  private static Variable<TFloat32> slot(GraphSession s, String name) {
    return new Variable<>(s.graph().operation(name));
  }

  private static List<float[]> values(GraphSession s, List<? extends Operand<TFloat32>> variables) {
    List<Operand<TFloat32>> reads = new ArrayList<>();
    for (Operand<TFloat32> v : variables) reads.add(s.tf().identity(v));
    Fetched f = s.run(Feeds.of(), reads);
    return reads.stream().map(f::floats).toList();
  }

  /** max |a - b| over max |a|. */
  static double relative(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double scale = 0;
    double diff = 0;
    for (int i = 0; i < a.length; i++) {
      scale = Math.max(scale, Math.abs(a[i]));
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
    }
    return scale == 0 ? diff : diff / scale;
  }
}
