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
 * A sweep's finished cells, one JSON file each under {@code DIR/cells/} (written atomically when the
 * cell is done, so a kill loses only unfinished cells), each with the fingerprint of the settings that
 * define it. A cell saved with other settings is never reused: {@link #finished} refuses with the
 * differences named.
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

  /** The settings that define {@code cell}: the cell itself plus everything the grid holds fixed. */
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
        root, cell.key(), String.join("; ", differences));
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

  /**
   * {@code results.csv}: one row per model with the grid's axes, params, seed, steps, {@code acc_OP},
   * {@code majority_OP} and {@code steps_to_target_OP} for every operator seen, wall time and commit.
   */
  public static void writeResultsCsv(List<CellResult> results, Path file) {
    TreeSet<String> ops = new TreeSet<>();
    results.forEach(r -> ops.addAll(r.accuracy().keySet()));
    List<String> header = new ArrayList<>(List.of("mix", "depth", "cot", "modulus", "layers", "loops", "heads", "d_model", "params", "seed", "steps"));
    ops.forEach(op -> header.add("acc_" + op));
    ops.forEach(op -> header.add("majority_" + op));
    ops.forEach(op -> header.add("steps_to_target_" + op));
    header.addAll(List.of("wall_s", "commit"));
    StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
    for (CellResult r : results) {
      SweepGrid.Cell c = r.cell();
      List<Object> row = new ArrayList<>(List.of("\"" + c.mix() + "\"", c.depth(), c.cot(), c.modulus(), c.layers(), c.loops(), c.heads(), c.dModel(), r.params(), c.seed(), r.steps()));
      ops.forEach(op -> row.add(blankIfNull(r.accuracy().get(op))));
      ops.forEach(op -> row.add(blankIfNull(r.majority().get(op))));
      ops.forEach(op -> row.add(blankIfNull(r.stepsToTarget().get(op))));
      row.add(String.format("%.2f", r.wallS()));
      row.add(r.commit());
      csv.append(String.join(",", row.stream().map(String::valueOf).toList())).append('\n');
    }
    AtomicFiles.write(file, csv.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** {@code curves.csv}: validation accuracy against step, one row per model, evaluation and operator. */
  public static void writeCurvesCsv(List<CellResult> results, Path file) {
    StringBuilder csv = new StringBuilder("cell,mix,d_model,params,seed,step,operator,val_accuracy\n");
    for (CellResult r : results) {
      for (CellResult.CurvePoint p : r.curve()) {
        p.accuracy().forEach((op, acc) -> csv.append(r.cell().key()).append(",\"").append(r.cell().mix()).append("\",")
            .append(r.cell().dModel()).append(',').append(r.params()).append(',').append(r.cell().seed()).append(',')
            .append(p.step()).append(',').append(op).append(',').append(acc).append('\n'));
      }
    }
    AtomicFiles.write(file, csv.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Object blankIfNull(Object value) {
    return value == null ? "" : value;
  }
}
