package dev.emergence.reparam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.base.Preconditions;
import dev.emergence.reparam.method.MethodKind;
import dev.emergence.reparam.method.MethodResult;
import dev.emergence.reparam.method.OptimizerKind;
import dev.emergence.report.Fingerprint;
import dev.emergence.report.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The cells of a benchmark as saved in {@code cells/}, one (graph, optimizer, method) each, and how
 * a resumed run decides which it may reuse.
 */
public final class Cells {
  private Cells() {}

  /** One search or seed run, as saved; {@code maxIterations} the iteration cap it ran under. */
  public record Run(
      long seed, double lr, Double stage2Lr, long maxIterations, MethodResult result) {}

  /**
   * One (graph, optimizer, method) cell, as saved in {@code cells/} and read back on resume: the
   * settings that define it ({@code settings}, hashed as {@code fingerprint}) and the commit it ran
   * at ({@code commit}, marked {@code -dirty} for uncommitted code).
   */
  public record Cell(
      String graph,
      int freeNodes,
      String optimizer,
      MethodKind method,
      String fingerprint,
      JsonNode settings,
      String commit,
      double bestLr,
      Double stage2Lr,
      List<Run> search,
      List<Run> seeds,
      MethodResult median) {}

  /**
   * A cell not run because the same optimizer and method reached the tolerance at no rate on a
   * smaller graph of the same kind ({@code missedOn}, earlier in {@code --graphs}): on larger
   * graphs the problem only gets harder, and each such cell would spend its whole budget on every
   * rate.
   */
  public record Skipped(String graph, String optimizer, MethodKind method, String missedOn) {}

  /** The file of a first-order cell: {@code grid2d_64x64-adam-gnn.json}. */
  public static String fileName(String spec, OptimizerKind kind, MethodKind method) {
    return stem(spec) + "-" + kind + "-" + method + ".json";
  }

  /** The file of a baseline cell (no optimizer): {@code grid2d_64x64-lbfgs.json}. */
  public static String fileName(String spec, MethodKind baseline) {
    return stem(spec) + "-" + baseline + ".json";
  }

  private static String stem(String spec) {
    return spec.replaceAll("[^A-Za-z0-9.]+", "_");
  }

  /**
   * The cells saved at {@code out} that this config can reuse, each checked against the fingerprint
   * the config gives it now: a saved cell with other settings, or without a fingerprint (written
   * before resume checks existed), is refused with one line. Call before any work.
   */
  public static Map<String, Cell> resumable(BenchConfig config, Path out) {
    return checkSaved(out.resolve("cells"), CellSettings.plan(config));
  }

  /**
   * The saved cells of a resumed run, each checked against the fingerprint the command computes now
   * (a cell of format 1 in today's form, {@link FormatOne}); refuses with one line on the first
   * cell that has none or another one.
   */
  static Map<String, Cell> checkSaved(Path cells, Map<String, Fingerprint> planned) {
    Map<String, Cell> saved = new LinkedHashMap<>();
    if (!Files.isDirectory(cells)) {
      return saved;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(cells)) {
      files = list.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + cells + ": " + e.getMessage(), e);
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      Fingerprint now = planned.get(name);
      if (now == null) {
        continue; // a cell this command does not ask for: left alone, not in the tables
      }
      JsonNode json = Json.read(file);
      Preconditions.checkArgument(
          json.hasNonNull("fingerprint") && json.hasNonNull("settings"),
          "cannot resume: %s has no settings fingerprint (written before resume checks existed); rerun it with --overwrite or choose another --out",
          file);
      JsonNode settings = json.get("settings");
      List<String> differences =
          Fingerprint.of(FormatOne.is(settings) ? FormatOne.upgrade(settings) : settings)
              .differences(now);
      Preconditions.checkArgument(
          differences.isEmpty(),
          "cannot resume: %s was run with other settings (%s); rerun with --overwrite or choose another --out",
          file,
          String.join(", ", differences));
      saved.put(name, Json.read(file, Cell.class));
    }
    return saved;
  }
}
