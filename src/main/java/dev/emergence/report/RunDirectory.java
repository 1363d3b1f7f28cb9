package dev.emergence.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where one run leaves its record: {@code config.json} (everything needed to rerun it), {@code
 * metrics.jsonl} (one JSON object per evaluation), {@code result.json} (the outcome). Config and
 * result are written atomically; metrics are appended line by line.
 */
public final class RunDirectory {
  public static final String CONFIG = "config.json";
  public static final String METRICS = "metrics.jsonl";
  public static final String RESULT = "result.json";

  private final Path root;

  private RunDirectory(Path root) {
    this.root = root;
  }

  /** Creates the directory (and parents); a fresh run truncates an older metrics log. */
  public static RunDirectory create(Path root) {
    try {
      Files.createDirectories(root);
      Files.deleteIfExists(root.resolve(METRICS));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create run directory " + root + ": " + e.getMessage(), e);
    }
    return new RunDirectory(root);
  }

  public Path root() {
    return root;
  }

  public Path resolve(String name) {
    return root.resolve(name);
  }

  public void writeConfig(Object config) {
    Json.write(root.resolve(CONFIG), config);
  }

  public void writeResult(Object result) {
    Json.write(root.resolve(RESULT), result);
  }

  public void appendMetrics(Object metrics) {
    try {
      Files.writeString(
          root.resolve(METRICS),
          Json.line(metrics) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + root.resolve(METRICS) + ": " + e.getMessage(), e);
    }
  }
}
