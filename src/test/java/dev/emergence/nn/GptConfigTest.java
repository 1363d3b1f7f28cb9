package dev.emergence.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import org.junit.jupiter.api.Test;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class GptConfigTest {

  @Test
  void closedFormParameterCountEqualsTheVariablesSizes() {
    GptConfig[] configs = {
      GptConfig.of(21, 48, 1, 2, 32),
      GptConfig.of(32, 64, 2, 4, 64), // the bench shape: 106,240 parameters, as PyTorch counts it
      GptConfig.of(21, 48, 3, 3, 12).withTied(false).withMlpRatio(2),
      GptConfig.of(21, 48, 1, 2, 16).withLoops(4),
    };
    for (GptConfig config : configs) {
      try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
        Gpt gpt = Gpt.member(s.tf(), config, 1);
        long sum = 0;
        for (Variable<TFloat32> v : gpt.variables()) {
          sum += v.shape().size();
          assertTrue(!v.op().name().contains("/"), "flat variable names: " + v.op().name());
        }
        assertEquals(config.parameterCount(), sum, config.toString());
      }
    }
    assertEquals(106_240, GptConfig.of(32, 64, 2, 4, 64).parameterCount());
  }

  @Test
  void badConfigsFailWithAClearMessage() {
    IllegalArgumentException heads =
        assertThrows(IllegalArgumentException.class, () -> GptConfig.of(21, 48, 1, 3, 32));
    assertEquals(
        "d_model 32 is not divisible by heads 3: each head needs d_model / heads dimensions (try d_model 33)",
        heads.getMessage());
    assertEquals(
        "d_model must be positive, got 0",
        assertThrows(IllegalArgumentException.class, () -> GptConfig.of(21, 48, 1, 2, 0))
            .getMessage());
    assertEquals(
        "layers must be positive, got 0",
        assertThrows(IllegalArgumentException.class, () -> GptConfig.of(21, 48, 0, 2, 32))
            .getMessage());
    assertEquals(
        "vocabulary size must be positive, got 0",
        assertThrows(IllegalArgumentException.class, () -> GptConfig.of(0, 48, 1, 2, 32))
            .getMessage());
    assertEquals(
        "loops must be positive, got 0",
        assertThrows(
                IllegalArgumentException.class, () -> GptConfig.of(21, 48, 1, 2, 32).withLoops(0))
            .getMessage());
    GptConfig short16 = GptConfig.of(21, 16, 1, 2, 32);
    short16.checkFits(16);
    assertEquals(
        "context 16 is shorter than the longest sequence (40 tokens): use a context of at least 40",
        assertThrows(IllegalArgumentException.class, () -> short16.checkFits(40)).getMessage());
  }
}
