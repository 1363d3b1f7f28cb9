package dev.emergence.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.listops.Arity;
import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.Mix;
import dev.emergence.nn.GptConfig;
import dev.emergence.report.RunDirectory;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The one training loop, for a model alone (K = 1) and for stacks: the same code, the same
 * behaviour.
 */
class TrainerTest {
  /**
   * Members: own seed, own learning rate, own operator mix (so rows of different lengths share the
   * stack).
   */
  private static final long[] SEEDS = {0, 5, 9};

  private static final double[] RATES = {3e-3, 1e-3, 5e-3};
  private static final String[] MIXES = {"MAX", "SUM", "MAX,MIN"};

  /** The first k members. */
  static List<Trainer.Member> members(int k) {
    List<Trainer.Member> out = new ArrayList<>();
    for (int m = 0; m < k; m++) {
      GeneratorConfig generator = GeneratorConfig.defaults(Mix.parse(MIXES[m])).withMaxDepth(2);
      out.add(
          new Trainer.Member(
              SEEDS[m],
              RATES[m],
              ListOpsTask.build(generator, new DatasetSpec(2000, 40, 60), SEEDS[m], false)));
    }
    return out;
  }

  static GptConfig model(List<Trainer.Member> members) {
    int length = members.stream().mapToInt(m -> m.task().length()).max().orElseThrow();
    return GptConfig.of(members.get(0).task().vocab(), length - 1, 1, 2, 16);
  }

  static TrainConfig training(int steps) {
    return TrainConfig.builder()
        .steps(steps)
        .batch(32)
        .evalEvery(25)
        .warmupSteps(10)
        .lossEvery(5)
        .build();
  }

  /**
   * A 15k-parameter model learns MAX (depth 3, arity up to 3) well above the majority baseline,
   * alone and beside another seed.
   */
  @ParameterizedTest(name = "K = {0}")
  @ValueSource(ints = {1, 2})
  void smallModelsLearnMax(int k) {
    GeneratorConfig generator =
        GeneratorConfig.defaults(Mix.parse("MAX")).withMaxDepth(3).withArity(Arity.parse("3"));
    List<Trainer.Member> members = new ArrayList<>();
    for (int m = 0; m < k; m++) {
      members.add(
          new Trainer.Member(
              1 + m,
              3e-3,
              ListOpsTask.build(generator, new DatasetSpec(20_000, 300, 1000), 1 + m, false)));
    }
    ListOpsTask task = members.get(0).task();
    GptConfig model =
        GptConfig.of(
            task.vocab(),
            members.stream().mapToInt(m -> m.task().length()).max().orElseThrow() - 1,
            1,
            2,
            32);
    TrainConfig train = TrainConfig.builder().steps(1200).evalEvery(100).target(0.985, 2).build();
    List<List<MetricsLine>> metrics = new ArrayList<>();
    members.forEach(m -> metrics.add(new ArrayList<>()));
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      List<Trainer.Outcome> outcomes =
          new Trainer(s, model, train, members).run((m, line) -> metrics.get(m).add(line), false);
      for (int m = 0; m < k; m++) {
        Trainer.Result result = outcomes.get(m).result();
        double accuracy = result.testAccuracy().get("MAX");
        assertTrue(
            accuracy >= 0.95,
            "member "
                + m
                + ": MAX test accuracy "
                + accuracy
                + " after "
                + result.steps()
                + " steps");
        assertEquals(accuracy, result.testAccuracy().get("overall"));
        assertTrue(
            result.majorityBaseline().get("MAX") < 0.8,
            "the baseline is far below: " + result.majorityBaseline());
        assertEquals(
            result.steps() / 100, metrics.get(m).size(), "one metrics line per evaluation");
        assertEquals(model.parameterCount(), result.params());
      }
    }
  }

  /** result.json's keys, as the README documents them. */
  @Test
  void resultSerializesWithTheDocumentedKeys() {
    Trainer.Result result =
        new Trainer.Result(
                10,
                5,
                false,
                true,
                Map.of("overall", 0.5),
                Map.of("overall", 0.25),
                Map.of("overall", 0.5),
                1.5,
                2,
                1,
                3,
                null)
            .withExport(java.nio.file.Path.of("saved_models", "m"));
    com.fasterxml.jackson.databind.JsonNode json =
        dev.emergence.report.Json.mapper().valueToTree(result);
    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    assertEquals(
        List.of(
            "early_stopped",
            "export",
            "final_loss",
            "majority_baseline",
            "params",
            "plateaued",
            "steps",
            "test_accuracy",
            "tokens_per_s",
            "train_s",
            "validation_accuracy",
            "wall_s"),
        keys);
    assertEquals("saved_models/m", json.get("export").asText());
    assertEquals(2.0, json.get("wall_s").asDouble());
    assertTrue(
        dev.emergence.report.Json.mapper()
            .valueToTree(result.withExport(null))
            .get("export")
            .isNull());
  }

  /** A metrics.jsonl line: the keys, sorted, that earlier runs wrote. */
  @Test
  void metricsLineSerializesWithTheDocumentedKeys() {
    String line =
        dev.emergence.report.Json.line(
            new MetricsLine(10, null, 1e-3, Map.of("overall", 0.5), 1.5, 100));
    assertEquals(
        "{\"elapsed_s\":1.5,\"loss\":null,\"lr\":0.001,\"step\":10,\"tokens_per_s\":100.0,\"val_accuracy\":{\"overall\":0.5}}",
        line);
  }

  @Test
  void builderStartsFromTheDefaultsAndCopiesEveryField() {
    TrainConfig defaults = TrainConfig.defaults();
    assertEquals(defaults, defaults.toBuilder().build());
    assertEquals(dev.emergence.optim.AdamWConfig.defaults().beta2(), defaults.beta2());
    TrainConfig changed =
        defaults.toBuilder().steps(7).betas(0.8, 0.9).lossOn(TrainConfig.LossOn.ALL).build();
    assertEquals(changed, changed.toBuilder().build());
    assertEquals(7, changed.steps());
    assertEquals(0.9, changed.adam().beta2());
    assertEquals(defaults.batch(), changed.batch());
  }

  /**
   * Same seeds and thread settings: the same losses, accuracies and weights, bit for bit (dropout
   * on, 2 threads).
   */
  @ParameterizedTest(name = "K = {0}")
  @ValueSource(ints = {1, 2})
  void sameSeedGivesBitIdenticalRuns(int k) {
    float[] first = shortRun(7, k);
    assertArrayEquals(first, shortRun(7, k));
    assertFalse(Arrays.equals(first, shortRun(8, k)), "another seed gives another run");
  }

  /** The logits of the last member on 4 test rows, its final loss and test accuracy. */
  private static float[] shortRun(long seed, int k) {
    GeneratorConfig generator = GeneratorConfig.defaults(Mix.parse("MAX:1,SUM:2")).withMaxDepth(2);
    List<Trainer.Member> members = new ArrayList<>();
    for (int m = 0; m < k; m++) {
      members.add(
          new Trainer.Member(
              seed + 10L * m,
              3e-3,
              ListOpsTask.build(generator, new DatasetSpec(2000, 50, 50), seed + 10L * m, false)));
    }
    ListOpsTask task = members.get(k - 1).task();
    int length = members.stream().mapToInt(m -> m.task().length()).max().orElseThrow();
    GptConfig model = GptConfig.of(task.vocab(), length - 1, 2, 2, 16).withDropout(0.1);
    TrainConfig train =
        TrainConfig.builder().steps(40).batch(32).evalEvery(20).warmupSteps(5).build();
    try (GraphSession s = new GraphSession(SessionConfig.cpu(2))) {
      Trainer trainer = new Trainer(s, model, train, members);
      Trainer.Result result = trainer.run((m, line) -> {}, false).get(k - 1).result();
      int[] ids = task.encode(task.test().values().iterator().next()).ids();
      float[] logits;
      try (ServingGraph served = trainer.serving(k - 1)) {
        logits = served.logits(Arrays.copyOf(ids, 4 * (task.length() - 1)), 4, task.length() - 1);
      }
      float[] out = Arrays.copyOf(logits, logits.length + 2);
      out[logits.length] = (float) result.finalLoss();
      out[logits.length + 1] = (float) (double) result.testAccuracy().get("overall");
      return out;
    }
  }

  /**
   * Member k of a stack of three trains as the model of its seed, rate and task alone (a stack of
   * one).
   */
  @Test
  void stackOfThreeReproducesThreeSeparateTrainings() {
    int steps = Integer.getInteger("stack.steps", 100);
    List<Trainer.Member> members = members(3);
    GptConfig model = model(members);
    TrainConfig train = training(steps);
    List<float[]> stackedWeights;
    List<Trainer.Outcome> outcomes;
    List<String> names;
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Trainer trainer = new Trainer(s, model, train, members);
      outcomes = trainer.run((m, line) -> {}, false);
      stackedWeights = values(s, trainer.graph().model().variables());
      names = trainer.graph().model().variables().stream().map(v -> v.op().name()).toList();
    }
    double worstLoss = 0;
    double worstWeight = 0;
    double keyBias = 0;
    List<String> failures = new ArrayList<>();
    for (int m = 0; m < SEEDS.length; m++) {
      try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
        Trainer trainer = new Trainer(s, model, train, List.of(members.get(m)));
        Trainer.Result single = trainer.run((k, line) -> {}, false).get(0).result();
        Trainer.Result stacked = outcomes.get(m).result();
        assertEquals(single.steps(), stacked.steps());
        double lossDiff =
            Math.abs(single.finalLoss() - stacked.finalLoss()) / Math.abs(single.finalLoss());
        worstLoss = Math.max(worstLoss, lossDiff);
        List<float[]> weights = values(s, trainer.graph().model().variables());
        for (int i = 0; i < weights.size(); i++) {
          float[] a = weights.get(i);
          float[] b = Arrays.copyOfRange(stackedWeights.get(i), m * a.length, (m + 1) * a.length);
          if (names.get(i).endsWith("attn.qkv.b")) {
            // The key bias has a zero gradient in exact arithmetic (softmax ignores a constant
            // added to
            // every score of a row); Adam turns its rounding noise into full-size steps in any two
            // stacks. It cannot change an output; compare the query and value biases only.
            int d = model.dModel();
            keyBias =
                Math.max(
                    keyBias,
                    relative(Arrays.copyOfRange(a, d, 2 * d), Arrays.copyOfRange(b, d, 2 * d)));
            a = withoutKeys(a, d);
            b = withoutKeys(b, d);
          }
          worstWeight = Math.max(worstWeight, relative(a, b));
          if (relative(a, b) > 1e-5) {
            failures.add(
                names.get(i)
                    + " of seed "
                    + SEEDS[m]
                    + " differs by "
                    + relative(a, b)
                    + " (relative) after "
                    + steps
                    + " steps");
          }
        }
        if (lossDiff > 1e-5) {
          failures.add(
              "final loss of seed "
                  + SEEDS[m]
                  + ": "
                  + single.finalLoss()
                  + " alone, "
                  + stacked.finalLoss()
                  + " stacked");
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

  /** A member switched off keeps its weights, AdamW moments and powers; the others train on. */
  @ParameterizedTest(name = "K = {0}")
  @ValueSource(ints = {1, 3})
  void aStoppedMemberDoesNotChange(int k) {
    List<Trainer.Member> members = members(k);
    GptConfig model = model(members);
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Trainer trainer = new Trainer(s, model, training(10), members);
      TrainingGraph graph = trainer.graph();
      List<Variable<TFloat32>> all = new ArrayList<>(graph.model().variables());
      for (Variable<TFloat32> v : graph.model().variables()) {
        all.add(slot(s, v.op().name() + ".m"));
        all.add(slot(s, v.op().name() + ".v"));
      }
      all.addAll(graph.optimizer.powers());
      int[] ids = new int[k * graph.batch() * graph.length()];
      float[] mask = new float[ids.length];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = 3 + i % 7;
        mask[i] = i % graph.length() == 4 || i % graph.length() == 5 ? 1f : 0f;
      }
      float[] lr = new float[k];
      float[] on = new float[k];
      Arrays.fill(lr, 1e-2f);
      Arrays.fill(on, 1f);
      graph.trainStep(ids, mask, lr, on, false);
      List<float[]> before = values(s, all);
      int stopped = k - 1;
      lr[stopped] = 0;
      on[stopped] = 0;
      for (int step = 0; step < 3; step++) {
        graph.trainStep(ids, mask, lr, on, true);
      }
      List<float[]> after = values(s, all);
      for (int i = 0; i < all.size(); i++) {
        int size = before.get(i).length / k;
        assertArrayEquals(
            Arrays.copyOfRange(before.get(i), stopped * size, (stopped + 1) * size),
            Arrays.copyOfRange(after.get(i), stopped * size, (stopped + 1) * size),
            all.get(i).op().name() + " of the stopped member");
        if (i == 0 && k > 1) {
          assertFalse(
              Arrays.equals(
                  Arrays.copyOfRange(before.get(i), 0, size),
                  Arrays.copyOfRange(after.get(i), 0, size)),
              "an active member trains on");
        }
      }
    }
  }

  @ParameterizedTest(name = "K = {0}")
  @ValueSource(ints = {1, 3})
  void earlyStoppedMembersStopAtTheirStep(int k) {
    List<Trainer.Member> members = members(k);
    TrainConfig train = training(60).toBuilder().evalEvery(10).target(0.0, 2).build();
    List<Integer> metricSteps = new ArrayList<>();
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      List<Trainer.Outcome> outcomes =
          new Trainer(s, model(members), train, members)
              .run((m, line) -> metricSteps.add(line.step()), false);
      for (Trainer.Outcome o : outcomes) {
        assertTrue(o.result().earlyStopped());
        assertEquals(20, o.result().steps());
      }
      List<Integer> expected = new ArrayList<>();
      for (int step : new int[] {10, 20}) {
        for (int m = 0; m < k; m++) {
          expected.add(step);
        }
      }
      assertEquals(expected, metricSteps);
    }
  }

  /** A member whose loss becomes NaN is reported diverged at that step; the others finish. */
  @ParameterizedTest(name = "K = {0}")
  @ValueSource(ints = {1, 3})
  void aDivergedMemberStopsAndTheOthersFinish(int k) {
    List<Trainer.Member> members = new ArrayList<>(members(k));
    Trainer.Member last = members.get(k - 1);
    members.set(k - 1, new Trainer.Member(last.seed(), 1e30, last.task()));
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      List<Trainer.Outcome> outcomes =
          new Trainer(s, model(members), training(30), members).run((m, line) -> {}, false);
      Trainer.Outcome diverged = outcomes.get(k - 1);
      assertTrue(diverged.diverged(), "lr 1e30 diverges");
      assertNull(diverged.result());
      assertTrue(diverged.reason().startsWith("training loss became "), diverged.reason());
      assertTrue(diverged.divergedStep() < 30);
      for (int m = 0; m < k - 1; m++) {
        assertEquals(30, outcomes.get(m).result().steps(), "member " + m + " finishes");
      }
    }
  }

  /** Chain-of-thought models train in a stack too; each is evaluated by greedy decoding. */
  @Test
  void chainOfThoughtTrainsInAStack() {
    GeneratorConfig generator = GeneratorConfig.defaults(Mix.parse("MAX")).withMaxDepth(2);
    List<Trainer.Member> members = new ArrayList<>();
    for (long seed : new long[] {0, 1}) {
      members.add(
          new Trainer.Member(
              seed, 3e-3, ListOpsTask.build(generator, new DatasetSpec(2000, 20, 30), seed, true)));
    }
    List<MetricsLine> lines = new ArrayList<>();
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      List<Trainer.Outcome> outcomes =
          new Trainer(s, model(members), training(20).toBuilder().evalEvery(10).build(), members)
              .run((m, line) -> lines.add(line), false);
      for (Trainer.Outcome o : outcomes) {
        assertEquals(20, o.result().steps());
        assertTrue(o.result().testAccuracy().containsKey("MAX"));
      }
      assertEquals(4, lines.size());
    }
  }

  @ParameterizedTest(name = "K = {0}")
  @ValueSource(ints = {1, 3})
  void aKilledStackResumesFromItsLastCheckpoint(int k, @TempDir Path dir) {
    List<Trainer.Member> members = members(k);
    GptConfig model = model(members);
    TrainConfig train = training(50).toBuilder().evalEvery(10).build();
    Checkpoints checkpoints = new Checkpoints(dir, 20);
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Trainer trainer = new Trainer(s, model, train, members);
      assertThrows(
          IllegalStateException.class,
          () ->
              trainer.run(
                  (m, line) -> {
                    if (line.step() == 30) throw new IllegalStateException("killed");
                  },
                  false,
                  checkpoints));
    }
    assertEquals(20, checkpoints.step());
    assertResumesToTheUnbrokenRun(members, model, train, checkpoints, 30);
  }

  /**
   * A stop request at step 33 saves a checkpoint there and ends the run; resumed, it ends as an
   * unbroken run, bit for bit.
   */
  @ParameterizedTest(name = "K = {0}")
  @ValueSource(ints = {1, 3})
  void aStoppedStackResumesToTheUninterruptedResult(int k, @TempDir Path dir) {
    List<Trainer.Member> members = members(k);
    GptConfig model = model(members);
    TrainConfig train = training(50).toBuilder().evalEvery(10).build();
    Checkpoints checkpoints = new Checkpoints(dir, 20);
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      int[] reached = {0};
      Trainer trainer =
          new Trainer(s, model, train, members)
              .afterStep(step -> reached[0] = step)
              .stopWhen(() -> reached[0] == 33);
      RunDirectory.Stopped stopped =
          assertThrows(
              RunDirectory.Stopped.class, () -> trainer.run((m, line) -> {}, false, checkpoints));
      assertEquals(33, stopped.step());
      assertEquals(143, stopped.exitStatus(), "a stop without a signal counts as SIGTERM");
    }
    assertEquals(33, checkpoints.step(), "saved at the step it stopped");
    assertResumesToTheUnbrokenRun(members, model, train, checkpoints, 40);
  }

  /**
   * Resumed from {@code checkpoints}, the first evaluation is at {@code firstEvaluation} and the
   * end is the unbroken run's, bit for bit.
   */
  private static void assertResumesToTheUnbrokenRun(
      List<Trainer.Member> members,
      GptConfig model,
      TrainConfig train,
      Checkpoints checkpoints,
      int firstEvaluation) {
    List<float[]> uninterrupted;
    List<Trainer.Outcome> expected;
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Trainer trainer = new Trainer(s, model, train, members);
      expected = trainer.run((m, line) -> {}, false);
      uninterrupted = values(s, trainer.graph().model().variables());
    }
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Trainer trainer = new Trainer(s, model, train, members);
      List<Integer> resumedAt = new ArrayList<>();
      List<Trainer.Outcome> resumed =
          trainer.run((m, line) -> resumedAt.add(line.step()), false, checkpoints);
      assertEquals(firstEvaluation, resumedAt.get(0), "continues after the checkpoint");
      List<float[]> weights = values(s, trainer.graph().model().variables());
      for (int i = 0; i < weights.size(); i++) {
        assertArrayEquals(uninterrupted.get(i), weights.get(i), "variable " + i);
      }
      for (int m = 0; m < members.size(); m++) {
        assertEquals(expected.get(m).result().finalLoss(), resumed.get(m).result().finalLoss());
        assertEquals(
            expected.get(m).result().testAccuracy(), resumed.get(m).result().testAccuracy());
        assertEquals(
            expected.get(m).result().validationAccuracy(),
            resumed.get(m).result().validationAccuracy());
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

  static List<float[]> values(GraphSession s, List<? extends Operand<TFloat32>> variables) {
    Fetched f = s.run(Feeds.of(), variables);
    return variables.stream().map(f::floats).toList();
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
