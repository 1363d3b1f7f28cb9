package dev.emergence.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.optim.Adam;
import dev.emergence.optim.AdamWConfig;
import dev.emergence.session.Feeds;
import dev.emergence.session.Fetched;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Scopes only name things: a scoped model has the weights of the same model built alone. */
class ScopedModelTest {
  private static final GptConfig CONFIG = GptConfig.of(13, 8, 2, 2, 8);
  private static final int[] IDS = {1, 5, 7, 2, 9, 11, 3, 4, 0, 12, 6, 8};

  @Test
  void scopedModelsEqualTheirUnscopedTwinsAndShareOneGraph() {
    List<float[]> alone3 = trainedOnce(List.of(""), List.of(3L)).get(0);
    List<List<float[]>> both = trainedOnce(List.of("m1", "m2"), List.of(3L, 4L));
    List<float[]> scoped3 = both.get(0);
    List<float[]> scoped4 = both.get(1);
    assertEquals(alone3.size(), scoped3.size());
    for (int i = 0; i < alone3.size(); i++) {
      assertArrayEquals(alone3.get(i), scoped3.get(i), "variable " + i + " after one AdamW step");
    }
    assertFalse(Arrays.equals(scoped3.get(0), scoped4.get(0)), "seed 4 draws other embeddings than seed 3");
  }

  @Test
  void namesCarryTheScopeAndSlotsFollow() {
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Gpt a = new Gpt(s.tf(), CONFIG, 0, "m3");
      assertEquals("m3.wte", a.variables().get(0).op().name());
      assertTrue(a.variables().stream().allMatch(v -> v.op().name().startsWith("m3.")));
      new Adam(AdamWConfig.defaults()).inScope("m3").minimize(s, loss(s.tf(), a), a.variables(), s.tf().constant(1e-3f));
      assertTrue(s.graph().operation("m3.wte.m") != null, "first-moment slot under the scope");
      assertTrue(s.graph().operation("m3.adamw.beta1_power") != null, "optimizer scalar under the scope");
      assertTrue(s.graph().operation("m3.adamw.step") != null, "step op under the scope");
    }
  }

  @Test
  void badScopesAreRefusedWithOneLine() {
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new Gpt(s.tf(), CONFIG, 0, "m3/h0"));
      assertTrue(e.getMessage().contains("never '/'"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> new Gpt(s.tf(), CONFIG, 0, "m3."));
    }
  }

  /** Builds one model per scope in one graph, takes one AdamW step on each, returns every weight. */
  private static List<List<float[]>> trainedOnce(List<String> scopes, List<Long> seeds) {
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Ops tf = s.tf();
      List<Gpt> models = new ArrayList<>();
      List<Op> steps = new ArrayList<>();
      for (int m = 0; m < scopes.size(); m++) {
        Gpt model = new Gpt(tf, CONFIG, seeds.get(m), scopes.get(m));
        models.add(model);
        steps.add(new Adam(AdamWConfig.defaults()).inScope(scopes.get(m))
            .minimize(s, loss(tf, model), model.variables(), tf.constant(1e-2f)));
      }
      s.run(steps.toArray(Op[]::new));
      List<List<float[]>> out = new ArrayList<>();
      for (Gpt model : models) {
        List<Operand<TFloat32>> reads = new ArrayList<>();
        for (Variable<TFloat32> v : model.variables()) {
          reads.add(tf.identity(v));
        }
        Fetched f = s.run(Feeds.of(), reads);
        out.add(reads.stream().map(f::floats).toList());
      }
      return out;
    }
  }

  /** Mean squared logit: any loss that reaches every weight will do. */
  private static Operand<TFloat32> loss(Ops tf, Gpt model) {
    Operand<TInt32> ids = tf.constant(new int[][] {Arrays.copyOf(IDS, 6), Arrays.copyOfRange(IDS, 6, 12)});
    Operand<TFloat32> logits = model.forward(Pass.inference(tf, ids, false), ids, null, null);
    return tf.math.mean(tf.math.square(logits), tf.constant(new int[] {0, 1}));
  }
}
