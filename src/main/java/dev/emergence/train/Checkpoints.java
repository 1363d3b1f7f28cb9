package dev.emergence.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.base.Preconditions;
import dev.emergence.report.AtomicFiles;
import dev.emergence.report.Json;
import dev.emergence.session.GraphSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A training run's checkpoints in {@code dir}, one every {@code every} steps: the session's
 * variables under {@code dir/step-N/variables} and the loop state in {@value #FILE}, which names
 * that prefix. Only the last checkpoint is kept.
 */
public record Checkpoints(Path dir, int every) {
  public static final String FILE = "checkpoint.json";

  /** What {@value #FILE} holds. */
  private record Saved(String prefix, Object state) {}

  public Checkpoints {
    Preconditions.checkArgument(
        every >= 1, "checkpoint interval must be at least 1 step, got %s", every);
  }

  /** Whether {@code dir} holds a checkpoint to continue from. */
  public boolean exists() {
    return Files.exists(dir.resolve(FILE));
  }

  /** The step of the last checkpoint (the loop state's {@code step}). */
  public int step() {
    return Json.read(dir.resolve(FILE)).get("state").get("step").asInt();
  }

  /**
   * Saves the variables and then, atomically, {@value #FILE} (the loop state and the variables'
   * prefix); the previous checkpoint is deleted after. A kill at any moment leaves the last
   * complete checkpoint.
   */
  public void save(GraphSession session, int step, Object state) {
    try {
      Path stepDir = dir.resolve("step-" + step);
      Files.createDirectories(stepDir);
      session.save(stepDir.resolve("variables").toString());
      Path file = dir.resolve(FILE);
      String previous = Files.exists(file) ? Json.read(file).get("prefix").asText() : null;
      Json.write(file, new Saved(dir.relativize(stepDir.resolve("variables")).toString(), state));
      if (previous != null) {
        Path old = dir.resolve(previous).getParent();
        if (!old.equals(stepDir)) {
          AtomicFiles.deleteRecursively(old);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write a checkpoint under " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes the checkpoints (a run that ended needs them no more); a leftover one is harmless, so
   * failures are ignored.
   */
  public void delete() {
    try {
      AtomicFiles.deleteRecursively(dir);
    } catch (IOException e) {
      // a leftover checkpoint is harmless
    }
  }

  /**
   * The loop state of the last checkpoint, with the session's variables restored; null when there
   * is none.
   */
  public <T> T restore(GraphSession session, Class<T> type) {
    if (!exists()) {
      return null;
    }
    JsonNode record = Json.read(dir.resolve(FILE));
    T state = Json.mapper().convertValue(record.get("state"), type);
    session.restore(dir.resolve(record.get("prefix").asText()).toString());
    return state;
  }
}
