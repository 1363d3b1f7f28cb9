package dev.emergence.capacity;

import com.google.common.base.Preconditions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares two sweeps' {@code results.csv} cell by cell (the same sweep run two ways: sharded on a
 * cluster and merged, or in one process): the same columns, the same cells, and in every cell the
 * same text in every column but those that say where and how long it ran. Rows may come in any
 * order.
 *
 * <p>Usage: {@code java -cp target/emergence.jar dev.emergence.capacity.ResultsComparison A B}; the
 * last line says whether they matched; exit status 0 when they did, 1 when not, 2 for bad input.
 */
public final class ResultsComparison {
  /** Columns that differ between two runs of the same cells by design. */
  public static final Set<String> IGNORED = Set.of("wall_s", "commit");

  /** The columns that name a cell (its place in the grid). */
  static final List<String> CELL =
      List.of("mix", "depth", "cot", "modulus", "layers", "loops", "heads", "d_model", "seed");

  private static final int SHOWN = 20;

  private ResultsComparison() {}

  /** What differs between the two files, one line each; empty when they match. */
  public static List<String> differences(Path a, Path b) {
    Table left = Table.read(a);
    Table right = Table.read(b);
    List<String> out = new ArrayList<>();
    if (!left.compared().equals(right.compared())) {
      out.add(
          "columns differ: " + left.compared() + " in " + a + ", " + right.compared() + " in " + b);
      return out;
    }
    for (String cell : left.rows().keySet()) {
      if (!right.rows().containsKey(cell)) {
        out.add("cell " + cell + " only in " + a);
      }
    }
    for (String cell : right.rows().keySet()) {
      if (!left.rows().containsKey(cell)) {
        out.add("cell " + cell + " only in " + b);
      }
    }
    left.rows()
        .forEach(
            (cell, row) -> {
              Map<String, String> other = right.rows().get(cell);
              if (other != null) {
                for (String column : left.compared()) {
                  if (!row.get(column).equals(other.get(column))) {
                    out.add(
                        "cell "
                            + cell
                            + " "
                            + column
                            + ": "
                            + row.get(column)
                            + " against "
                            + other.get(column));
                  }
                }
              }
            });
    return out;
  }

  /** One results.csv: its compared columns and its rows by cell. */
  private record Table(List<String> compared, Map<String, Map<String, String>> rows) {
    static Table read(Path file) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException("file not found: " + file);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
      }
      Preconditions.checkArgument(
          !lines.isEmpty(), "%s is empty; expected a sweep's results.csv", file);
      List<String> header = fields(lines.get(0), file, 1);
      Preconditions.checkArgument(
          header.containsAll(CELL),
          "%s line 1: expected the columns %s of a sweep's results.csv, got %s",
          file,
          CELL,
          header);
      List<String> named = new ArrayList<>(CELL);
      if (header.contains("group")) {
        named.add("group"); // a group sweep's cells: a group in place of the modulus
      }
      List<String> compared = header.stream().filter(c -> !IGNORED.contains(c)).sorted().toList();
      Map<String, Map<String, String>> rows = new LinkedHashMap<>();
      for (int i = 1; i < lines.size(); i++) {
        List<String> values = fields(lines.get(i), file, i + 1);
        Preconditions.checkArgument(
            values.size() == header.size(),
            "%s line %s: %s values under %s columns",
            file,
            i + 1,
            values.size(),
            header.size());
        Map<String, String> row = new LinkedHashMap<>();
        for (int c = 0; c < header.size(); c++) {
          row.put(header.get(c), values.get(c));
        }
        String cell = String.join(" ", named.stream().map(c -> c + "=" + row.get(c)).toList());
        Preconditions.checkArgument(
            rows.put(cell, row) == null, "%s line %s: cell %s appears twice", file, i + 1, cell);
      }
      return new Table(compared, rows);
    }
  }

  /**
   * The comma-separated fields of {@code line}; a field in double quotes may hold commas (a mix).
   */
  static List<String> fields(String line, Path file, int number) {
    List<String> out = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        out.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    Preconditions.checkArgument(!quoted, "%s line %s: a quote is not closed", file, number);
    out.add(field.toString());
    return out;
  }

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println(
          "error: expected two results.csv files, got " + args.length + " arguments");
      System.exit(2);
    }
    List<String> differences;
    try {
      differences = differences(Path.of(args[0]), Path.of(args[1]));
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    differences.stream().limit(SHOWN).forEach(System.out::println);
    if (differences.size() > SHOWN) {
      System.out.println("... and " + (differences.size() - SHOWN) + " more");
    }
    int cells = Table.read(Path.of(args[0])).rows().size();
    System.out.println(
        differences.isEmpty()
            ? "MATCH: "
                + args[0]
                + " and "
                + args[1]
                + " agree on all "
                + cells
                + " cells (every column but "
                + String.join(", ", IGNORED.stream().sorted().toList())
                + ")"
            : "MISMATCH: "
                + args[0]
                + " and "
                + args[1]
                + " differ in "
                + differences.size()
                + " places");
    System.exit(differences.isEmpty() ? 0 : 1);
  }
}
