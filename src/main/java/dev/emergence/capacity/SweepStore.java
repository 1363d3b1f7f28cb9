package dev.emergence.capacity;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.base.Preconditions;
import dev.emergence.report.AtomicFiles;
import dev.emergence.report.Fingerprint;
import dev.emergence.report.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A sweep's finished cells, one JSON file each under {@code DIR/cells/} (written atomically when
 * the cell is done, so a kill loses only unfinished cells), each with the fingerprint of the
 * settings that define it. A cell saved with other settings is never reused: {@link #finished}
 * refuses with the differences named.
 */
public final class SweepStore {
  public static final String CELLS = "cells";

  /** One saved cell: the settings that define it, their hash, and what it learned. */
  public record Saved(JsonNode settings, String hash, CellResult result) {}

  private final Path root;

  public SweepStore(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /**
   * The settings that define {@code cell}: the cell itself plus everything the grid holds fixed.
   */
  public static Fingerprint fingerprint(SweepGrid.Cell cell, Object fixedSettings) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("cell", cell);
    settings.put("training", fixedSettings);
    return Fingerprint.of(settings);
  }

  public void save(Fingerprint fingerprint, CellResult result) {
    Json.write(file(result.cell()), new Saved(fingerprint.settings(), fingerprint.hash(), result));
  }

  /**
   * The saved result of {@code cell}, if it finished with exactly these settings; a cell saved with
   * other settings fails in one line naming what differs.
   */
  public Optional<CellResult> finished(SweepGrid.Cell cell, Fingerprint now) {
    Path file = file(cell);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Saved saved = Json.read(file, Saved.class);
    List<String> differences = Fingerprint.of(saved.settings()).differences(now);
    Preconditions.checkArgument(
        differences.isEmpty(),
        "cannot resume %s: cell %s was run with other settings (%s); use the same options or another --out",
        root,
        cell.key(),
        String.join("; ", differences));
    return Optional.of(saved.result());
  }

  /** Every saved cell, sorted by file name. */
  public List<Saved> all() {
    Path dir = root.resolve(CELLS);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Saved> out = new ArrayList<>();
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        out.add(Json.read(f, Saved.class));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private Path file(SweepGrid.Cell cell) {
    return root.resolve(CELLS).resolve(cell.key() + ".json");
  }

  /** The first columns of results.csv, before the per-operator ones. */
  private static final List<String> AXES =
      List.of(
          "mix", "depth", "cot", "modulus", "layers", "loops", "heads", "d_model", "params", "seed",
          "steps");

  /** The column after modulus in the results of group cells: the group's name. */
  private static final String GROUP = "group";

  /** The first columns, with the group's after modulus when {@code group}. */
  private static List<String> axes(boolean group) {
    if (!group) {
      return AXES;
    }
    List<String> axes = new ArrayList<>(AXES);
    axes.add(axes.indexOf("modulus") + 1, GROUP);
    return axes;
  }

  /**
   * {@code results.csv}: one row per model with the grid's axes, params, seed, steps, {@code
   * acc_OP}, {@code majority_OP} and {@code steps_to_target_OP} for every operator seen, wall time
   * and commit. With group cells among them, a {@code group} column follows {@code modulus}; a
   * group cell leaves {@code modulus} empty (it has none), a digit cell leaves {@code group} empty.
   */
  public static void writeResultsCsv(List<CellResult> results, Path file) {
    TreeSet<String> ops = new TreeSet<>();
    results.forEach(r -> ops.addAll(r.accuracy().keySet()));
    boolean groups = results.stream().anyMatch(r -> r.cell().group() != null);
    List<String> header = new ArrayList<>(axes(groups));
    ops.forEach(op -> header.add("acc_" + op));
    ops.forEach(op -> header.add("majority_" + op));
    ops.forEach(op -> header.add("steps_to_target_" + op));
    header.addAll(List.of("wall_s", "commit"));
    StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
    for (CellResult r : results) {
      SweepGrid.Cell c = r.cell();
      List<Object> row =
          new ArrayList<>(
              List.of(
                  "\"" + c.mix() + "\"",
                  c.depth(),
                  c.cot(),
                  c.group() == null ? c.modulus() : "",
                  c.layers(),
                  c.loops(),
                  c.heads(),
                  c.dModel(),
                  r.params(),
                  c.seed(),
                  r.steps()));
      if (groups) {
        row.add(AXES.indexOf("modulus") + 1, blankIfNull(c.group()));
      }
      ops.forEach(op -> row.add(blankIfNull(r.accuracy().get(op))));
      ops.forEach(op -> row.add(blankIfNull(r.majority().get(op))));
      ops.forEach(op -> row.add(blankIfNull(r.stepsToTarget().get(op))));
      row.add(String.format("%.2f", r.wallS()));
      row.add(r.commit());
      csv.append(String.join(",", row.stream().map(String::valueOf).toList())).append('\n');
    }
    AtomicFiles.write(file, csv.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The models of a {@code results.csv} written by {@link #writeResultsCsv}, in its row order: what
   * they learned, without their curves (those are in curves.csv). A file that is missing or not in
   * that form fails in one line naming the line and what was expected.
   */
  public static List<CellResult> readResultsCsv(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException(
          "no " + file.getFileName() + " at " + file + ": expected the results of a sweep");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    Preconditions.checkArgument(
        !lines.isEmpty(), "%s is empty: expected a header and one row per model", file);
    List<String> header = csvFields(lines.get(0));
    List<String> axes = axes(header.contains(GROUP));
    Preconditions.checkArgument(
        header.size() > axes.size() && header.subList(0, axes.size()).equals(axes),
        "%s line 1: expected a sweep's header starting %s, got '%s'",
        file,
        String.join(",", axes),
        lines.get(0));
    List<String> ops =
        header.stream().filter(h -> h.startsWith("acc_")).map(h -> h.substring(4)).toList();
    List<String> needed = new ArrayList<>(List.of("wall_s", "commit"));
    ops.forEach(op -> needed.add("majority_" + op));
    Preconditions.checkArgument(
        !ops.isEmpty() && header.containsAll(needed),
        "%s line 1: expected acc_OP and majority_OP columns for every operator, wall_s and commit, got '%s'",
        file,
        lines.get(0));
    List<CellResult> results = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      List<String> fields = csvFields(lines.get(i));
      String where = file + " line " + (i + 1);
      Preconditions.checkArgument(
          fields.size() == header.size(),
          "%s: expected %s comma-separated values, got %s",
          where,
          header.size(),
          fields.size());
      Map<String, String> row = new LinkedHashMap<>();
      for (int c = 0; c < header.size(); c++) {
        row.put(header.get(c), fields.get(c));
      }
      try {
        String group = row.getOrDefault(GROUP, "");
        SweepGrid.Cell cell =
            new SweepGrid.Cell(
                row.get("mix"),
                Integer.parseInt(row.get("depth")),
                Boolean.parseBoolean(row.get("cot")),
                group.isEmpty() ? Integer.parseInt(row.get("modulus")) : SweepGrid.Cell.NO_MODULUS,
                Integer.parseInt(row.get("layers")),
                Integer.parseInt(row.get("loops")),
                Integer.parseInt(row.get("heads")),
                Integer.parseInt(row.get("d_model")),
                Long.parseLong(row.get("seed")),
                group.isEmpty() ? null : group);
        Map<String, Double> accuracy = new LinkedHashMap<>();
        Map<String, Double> majority = new LinkedHashMap<>();
        Map<String, Integer> stepsToTarget = new LinkedHashMap<>();
        for (String op : ops) {
          if (row.get("acc_" + op).isEmpty()) {
            continue; // not in this model's mix
          }
          accuracy.put(op, Double.parseDouble(row.get("acc_" + op)));
          majority.put(op, Double.parseDouble(row.get("majority_" + op)));
          String steps = row.getOrDefault("steps_to_target_" + op, "");
          stepsToTarget.put(op, steps.isEmpty() ? null : Integer.valueOf(steps));
        }
        Preconditions.checkArgument(!accuracy.isEmpty(), "%s: no accuracy for any operator", where);
        results.add(
            new CellResult(
                cell,
                Long.parseLong(row.get("params")),
                Integer.parseInt(row.get("steps")),
                accuracy,
                majority,
                stepsToTarget,
                List.of(),
                Double.parseDouble(row.get("wall_s")),
                row.get("commit")));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            where + ": expected numbers in the sweep's columns (" + e.getMessage() + ")");
      }
    }
    Preconditions.checkArgument(
        !results.isEmpty(),
        "%s holds no models: expected one row per model after the header",
        file);
    return results;
  }

  /**
   * One line of results.csv: comma-separated fields, a field in double quotes may hold commas
   * (mixes do).
   */
  public static List<String> csvFields(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }

  /**
   * {@code curves.csv}: validation accuracy against step, one row per model, evaluation and
   * operator.
   */
  public static void writeCurvesCsv(List<CellResult> results, Path file) {
    StringBuilder csv =
        new StringBuilder("cell,mix,d_model,params,seed,step,operator,val_accuracy\n");
    for (CellResult r : results) {
      for (CellResult.CurvePoint p : r.curve()) {
        p.accuracy()
            .forEach(
                (op, acc) ->
                    csv.append(r.cell().key())
                        .append(",\"")
                        .append(r.cell().mix())
                        .append("\",")
                        .append(r.cell().dModel())
                        .append(',')
                        .append(r.params())
                        .append(',')
                        .append(r.cell().seed())
                        .append(',')
                        .append(p.step())
                        .append(',')
                        .append(op)
                        .append(',')
                        .append(acc)
                        .append('\n'));
      }
    }
    AtomicFiles.write(file, csv.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Object blankIfNull(Object value) {
    return value == null ? "" : value;
  }
}
