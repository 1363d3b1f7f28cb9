package dev.emergence.reparam.graph;

import com.google.common.base.Preconditions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The small CSV files graphs and problems are read from: comma-separated numbers, an optional
 * header.
 */
public final class Csv {
  private Csv() {}

  /**
   * Non-blank lines split on commas; a first line that does not start with a digit or sign is a
   * header.
   */
  public static List<String[]> rows(Path file, int columns) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("file not found: " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || (i == 0 && !line.matches("^[-+0-9.].*"))) {
        continue;
      }
      String[] cells = line.split("\\s*,\\s*");
      Preconditions.checkArgument(
          cells.length == columns,
          "%s line %s: expected %s comma-separated values, got '%s'",
          file,
          i + 1,
          columns,
          line);
      rows.add(cells);
    }
    return rows;
  }

  public static int parseInt(String where, String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": '" + text + "' is not an integer");
    }
  }

  public static double parseDouble(String where, String text) {
    try {
      double v = Double.parseDouble(text.strip());
      Preconditions.checkArgument(
          Double.isFinite(v), "%s: '%s' is not a finite number", where, text);
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": '" + text + "' is not a number");
    }
  }
}
