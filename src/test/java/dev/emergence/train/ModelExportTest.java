package dev.emergence.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emergence.session.Feeds;
import dev.emergence.session.GraphSession;
import dev.emergence.session.SessionConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class ModelExportTest {
  private static final float[] INPUT = {1, 2, 3, 4, 5, 6};

  @Test
  void exportReloadsWithIdenticalOutputsAndItsExtraFiles(@TempDir Path dir) throws Exception {
    Path export = dir.resolve("model");
    float[] expected;
    try (GraphSession s = new GraphSession(SessionConfig.defaults())) {
      Ops tf = s.tf();
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class);
      Variable<TFloat32> w =
          tf.withName("w")
              .variable(
                  tf.random.statelessRandomNormal(
                      tf.constant(new long[] {3, 2}),
                      tf.constant(new long[] {1, 1}),
                      TFloat32.class));
      var y = tf.withName("y").math.tanh(tf.linalg.matMul(x, tf.identity(w)));
      expected = s.run(Feeds.of().floats(x, INPUT, 2, 3), List.of(y)).floats(y);
      Signature serving =
          Signature.builder().key(Signature.DEFAULT_KEY).input("x", x).output("y", y).build();
      Signature doubled =
          Signature.builder()
              .key("doubled")
              .input("x", x)
              .output("y2", tf.math.mul(y, tf.constant(2f)))
              .build();
      ModelExport.export(
          s, export, false, List.of(serving, doubled), Map.of("vocab.json", "[\"a\"]"));
    }
    assertEquals("[\"a\"]", ModelExport.readExtra(export, "vocab.json"));
    try (SavedModelBundle bundle = ModelExport.load(export);
        TFloat32 input = TFloat32.tensorOf(Shape.of(2, 3), DataBuffers.of(INPUT));
        Result out = bundle.function(Signature.DEFAULT_KEY).call(Map.of("x", input))) {
      TFloat32 y = (TFloat32) out.get("y").orElseThrow();
      float[] actual = new float[4];
      y.copyTo(DataBuffers.of(actual, false, false));
      assertArrayEquals(expected, actual);
      assertEquals(2, bundle.signatures().size());
    }
    try (var files = Files.list(dir)) {
      assertEquals(
          List.of(export.toRealPath(), export),
          files.sorted().toList(),
          "the published link and the one version it points to; no temporary directory is left");
    }
  }

  @Test
  void loadingAMissingModelFailsInOneLine(@TempDir Path dir) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelExport.load(dir.resolve("absent")));
    assertTrue(e.getMessage().startsWith("no SavedModel at "), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"));
  }
}
