package dev.emergence.train;

import com.google.common.base.Preconditions;
import dev.emergence.report.AtomicFiles;
import dev.emergence.session.GraphSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;

/**
 * Exports a trained graph as a TensorFlow SavedModel (tag {@code serve}) with named signatures.
 * Files that describe the model (vocabulary, task configuration) go to {@code assets.extra/}, which
 * SavedModel loaders leave alone. The directory appears complete or not at all, and an export a
 * user made is never deleted unless they ask for it to be replaced.
 */
public final class ModelExport {
  public static final String EXTRA_DIR = "assets.extra";

  private ModelExport() {}

  /**
   * Exports to {@code dir}. An existing export there is replaced only with {@code replace}, in one
   * rename ({@link AtomicFiles#publishDirectory}): a kill at any moment leaves the old or the new
   * model.
   */
  public static void export(
      GraphSession session,
      Path dir,
      boolean replace,
      List<Signature> signatures,
      Map<String, String> extraFiles) {
    Preconditions.checkArgument(!signatures.isEmpty(), "a SavedModel needs at least one signature");
    AtomicFiles.publishDirectory(
        dir,
        replace,
        tmp -> {
          SavedModelBundle.Exporter exporter = SavedModelBundle.exporter(tmp.toString());
          for (Signature signature : signatures) {
            exporter.withFunction(SessionFunction.create(signature, session.session()));
          }
          exporter.export();
          if (!extraFiles.isEmpty()) {
            Path extra = Files.createDirectories(tmp.resolve(EXTRA_DIR));
            for (Map.Entry<String, String> file : extraFiles.entrySet()) {
              Files.writeString(
                  extra.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
            }
          }
        });
  }

  /**
   * Loads an export; the caller closes the bundle. A missing or broken directory fails in one line.
   */
  public static SavedModelBundle load(Path dir) {
    Preconditions.checkArgument(
        Files.isRegularFile(dir.resolve("saved_model.pb")),
        "no SavedModel at %s (expected a directory holding saved_model.pb)",
        dir);
    return SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG);
  }

  /** Reads one of the extra files written beside an export. */
  public static String readExtra(Path dir, String name) {
    try {
      return Files.readString(dir.resolve(EXTRA_DIR).resolve(name), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(
          "SavedModel " + dir + " has no " + EXTRA_DIR + "/" + name, e);
    }
  }
}
