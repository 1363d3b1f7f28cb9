package dev.emergence.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TFloat32;

class SessionConfigTest {
  @Test
  void rewriterOptionsBecomeTheProtoFields() {
    assertNull(SessionConfig.rewriterConfig(Map.of()));
    RewriterConfig r =
        SessionConfig.rewriterConfig(
            Map.of(
                "remapping", "off", "constant_folding", "OFF", "disable_meta_optimizer", "true"));
    assertEquals(RewriterConfig.Toggle.OFF, r.getRemapping());
    assertEquals(RewriterConfig.Toggle.OFF, r.getConstantFolding());
    assertTrue(r.getDisableMetaOptimizer());
    assertEquals(RewriterConfig.Toggle.DEFAULT, r.getArithmeticOptimization());
  }

  @Test
  void badRewriterOptionsSayWhatIsAccepted() {
    var unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> SessionConfig.cpu(1).withRewriter(Map.of("remaping", "OFF")));
    assertTrue(
        unknown.getMessage().contains("unknown rewriter option 'remaping'"), unknown.getMessage());
    var value =
        assertThrows(
            IllegalArgumentException.class,
            () -> SessionConfig.cpu(1).withRewriter(Map.of("remapping", "maybe")));
    assertTrue(
        value.getMessage().contains("takes one of") && value.getMessage().contains("OFF"),
        value.getMessage());
  }

  @Test
  void aSessionRunsWithTheMetaOptimizerOff() {
    try (GraphSession s =
        new GraphSession(
            SessionConfig.cpu(1).withRewriter(Map.of("disable_meta_optimizer", "true")))) {
      Ops tf = s.tf();
      Operand<TFloat32> y = tf.math.mul(tf.constant(new float[] {1, 2}), tf.constant(3f));
      assertEquals(6f, s.run(Feeds.of(), List.of(y)).floats(y)[1]);
    }
  }
}
