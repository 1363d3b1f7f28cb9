package dev.emergence.report.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectorTest {

  @Test
  void configTensorAndMetadataWithExtraColumns(@TempDir Path dir) throws IOException {
    Map<String, String[]> columns = new LinkedHashMap<>();
    columns.put("kind", new String[] {"number", "operator\twith tab"});
    Projector.Written w =
        Projector.write(
            dir.resolve("emb"),
            "tokens",
            new String[] {"7", "[MAX"},
            new float[][] {{0.5f, -1f}, {2.25f, 1e-3f}},
            columns);
    assertEquals(dir.resolve("emb/projector_config.pbtxt"), w.config());
    assertEquals(
        """
        embeddings {
          tensor_name: "tokens"
          tensor_shape: 2
          tensor_shape: 2
          tensor_path: "tensor.tsv"
          metadata_path: "metadata.tsv"
        }
        """,
        Files.readString(w.config()));
    assertEquals(List.of("0.5\t-1.0", "2.25\t0.001"), Files.readAllLines(w.tensor()));
    assertEquals(
        List.of("label\tkind", "7\tnumber", "[MAX\toperator with tab"),
        Files.readAllLines(w.metadata()));
  }

  @Test
  void digitEmbeddingsFromATokenTableHaveValueAndParity(@TempDir Path dir) throws IOException {
    int width = 3;
    int first = 11;
    int modulus = 4;
    float[] table = new float[(first + modulus) * width];
    for (int i = 0; i < table.length; i++) {
      table[i] = i;
    }
    Projector.digits(dir, table, width, first, modulus);
    assertEquals(
        List.of("33.0\t34.0\t35.0", "36.0\t37.0\t38.0", "39.0\t40.0\t41.0", "42.0\t43.0\t44.0"),
        Files.readAllLines(dir.resolve(Projector.TENSOR)));
    assertEquals(
        List.of("label\tvalue\tparity", "0\t0\teven", "1\t1\todd", "2\t2\teven", "3\t3\todd"),
        Files.readAllLines(dir.resolve(Projector.METADATA)));
    String config = Files.readString(dir.resolve(Projector.CONFIG));
    assertEquals(
        true,
        config.contains(
            "tensor_name: \"digit_embeddings\"\n  tensor_shape: 4\n  tensor_shape: 3\n"),
        config);
  }

  @Test
  void mismatchedInputIsRefusedBeforeAnyFile(@TempDir Path dir) {
    assertThrows(
        IllegalArgumentException.class,
        () -> Projector.write(dir, new String[] {"a"}, new float[][] {{1}, {2}}, Map.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> Projector.write(dir, new String[] {"a", "b"}, new float[][] {{1}, {2, 3}}, Map.of()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Projector.write(
                dir, new String[] {"a"}, new float[][] {{1}}, Map.of("x", new String[0])));
    assertThrows(
        IllegalArgumentException.class, () -> Projector.digits(dir, new float[10], 2, 3, 4));
    assertEquals(0, dir.toFile().list().length);
  }
}
