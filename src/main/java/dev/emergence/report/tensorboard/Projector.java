package dev.emergence.report.tensorboard;

import com.google.common.base.Preconditions;
import dev.emergence.report.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Files for TensorBoard's embedding projector: {@code projector_config.pbtxt}, the vectors as
 * {@code tensor.tsv} (one row per point, tab-separated) and {@code metadata.tsv} (a header row,
 * then one row per point: its label and any extra columns). Paths in the config are relative to it.
 *
 * <p>TensorBoard reads the config from each run directory (a directory with event files, such as a
 * run's {@code tensorboard/} folder) and from the {@code --logdir} itself; write into one of those.
 * Each file is written atomically, the config last.
 */
public final class Projector {
  public static final String CONFIG = "projector_config.pbtxt";
  public static final String TENSOR = "tensor.tsv";
  public static final String METADATA = "metadata.tsv";

  private Projector() {}

  /** Where the three files went. */
  public record Written(Path config, Path tensor, Path metadata) {}

  /** {@link #write(Path, String, String[], float[][], Map)} with the tensor named "embedding". */
  public static Written write(
      Path dir, String[] labels, float[][] vectors, Map<String, String[]> extraColumns) {
    return write(dir, "embedding", labels, vectors, extraColumns);
  }

  /**
   * Writes one embedding into {@code dir} (created if missing; earlier projector files replaced).
   *
   * @param tensorName the name the projector shows for it
   * @param labels one per point: the metadata's first column, "label"
   * @param vectors one per point, all of one length
   * @param extraColumns further metadata columns by header, in the map's order, one value per point
   */
  public static Written write(
      Path dir,
      String tensorName,
      String[] labels,
      float[][] vectors,
      Map<String, String[]> extraColumns) {
    Preconditions.checkArgument(
        labels.length == vectors.length,
        "%s labels for %s vectors: give one label per vector",
        labels.length,
        vectors.length);
    Preconditions.checkArgument(vectors.length > 0, "no vectors to project");
    int width = vectors[0].length;
    Preconditions.checkArgument(width > 0, "vectors must have at least one component");
    StringBuilder tensor = new StringBuilder();
    for (int i = 0; i < vectors.length; i++) {
      Preconditions.checkArgument(
          vectors[i].length == width,
          "vector %s has %s components, vector 0 has %s",
          i,
          vectors[i].length,
          width);
      for (int j = 0; j < width; j++) {
        Preconditions.checkArgument(
            Float.isFinite(vectors[i][j]), "vector %s has a NaN or infinite component", i);
        tensor.append(j == 0 ? "" : "\t").append(vectors[i][j]);
      }
      tensor.append('\n');
    }
    StringBuilder metadata = new StringBuilder("label");
    extraColumns.forEach(
        (header, column) -> {
          Preconditions.checkArgument(
              column.length == labels.length,
              "metadata column '%s' has %s values for %s points",
              header,
              column.length,
              labels.length);
          metadata.append('\t').append(cell(header));
        });
    metadata.append('\n');
    for (int i = 0; i < labels.length; i++) {
      metadata.append(cell(labels[i]));
      for (String[] column : extraColumns.values()) {
        metadata.append('\t').append(cell(column[i]));
      }
      metadata.append('\n');
    }
    String config =
        "embeddings {\n"
            + "  tensor_name: \""
            + escape(tensorName)
            + "\"\n"
            + "  tensor_shape: "
            + vectors.length
            + "\n"
            + "  tensor_shape: "
            + width
            + "\n"
            + "  tensor_path: \""
            + TENSOR
            + "\"\n"
            + "  metadata_path: \""
            + METADATA
            + "\"\n"
            + "}\n";
    Written out = new Written(dir.resolve(CONFIG), dir.resolve(TENSOR), dir.resolve(METADATA));
    AtomicFiles.write(out.tensor(), tensor.toString().getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(out.metadata(), metadata.toString().getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(out.config(), config.getBytes(StandardCharsets.UTF_8));
    return out;
  }

  /**
   * The number tokens' embeddings: {@code values[i]} is the number whose vector is {@code
   * vectors[i]}; the metadata has its label (the token as printed) and the columns "value" and
   * "parity" (even or odd).
   */
  public static Written digits(Path dir, int[] values, float[][] vectors) {
    String[] labels = new String[values.length];
    String[] value = new String[values.length];
    String[] parity = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      labels[i] = Integer.toString(values[i]);
      value[i] = labels[i];
      parity[i] = values[i] % 2 == 0 ? "even" : "odd";
    }
    Map<String, String[]> columns = new LinkedHashMap<>();
    columns.put("value", value);
    columns.put("parity", parity);
    return write(dir, "digit_embeddings", labels, vectors, columns);
  }

  /**
   * The digit embeddings from a token table {@code [vocab, d]} (row-major, as fetched): rows {@code
   * firstNumber .. firstNumber + modulus - 1} are the numbers 0 .. modulus-1 (for ListOps, {@code
   * Vocabulary.FIRST_NUMBER} and the vocabulary's modulus).
   */
  public static Written digits(
      Path dir, float[] tokenTable, int width, int firstNumber, int modulus) {
    Preconditions.checkArgument(
        width > 0 && tokenTable.length % width == 0,
        "a token table of %s floats is no whole number of rows of width %s",
        tokenTable.length,
        width);
    Preconditions.checkArgument(
        firstNumber >= 0 && (long) (firstNumber + modulus) * width <= tokenTable.length,
        "the token table has %s rows, too few for numbers at rows %s..%s",
        tokenTable.length / width,
        firstNumber,
        firstNumber + modulus - 1);
    int[] values = new int[modulus];
    float[][] vectors = new float[modulus][width];
    for (int v = 0; v < modulus; v++) {
      values[v] = v;
      System.arraycopy(tokenTable, (firstNumber + v) * width, vectors[v], 0, width);
    }
    return digits(dir, values, vectors);
  }

  /** A TSV cell: tabs and line breaks would break the table, so they become spaces. */
  private static String cell(String text) {
    return text == null ? "" : text.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }

  private static String escape(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
