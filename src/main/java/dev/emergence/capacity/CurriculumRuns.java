package dev.emergence.capacity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.base.Preconditions;
import dev.emergence.report.Fingerprint;
import dev.emergence.report.Json;
import dev.emergence.report.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A folder of curriculum runs of one protocol at several sizes (one subfolder per {@code curriculum
 * --out}), read as two settings per operator of the second mix: the curriculum arm ({@code "MAX,MED
 * then SUM"}) and the same mix from scratch ({@code "SUM"}), so that a sweep's statistics
 * (transitions and their comparison) apply to them.
 */
public final class CurriculumRuns {
  /** The runs' settings, which only the width may change between sizes. */
  private static final String WIDTH = "dModel";

  private CurriculumRuns() {}

  /** The two arms' accuracy points and the pair that compares them (scratch first). */
  public record Arms(List<SweepAnalysis.Series> series, Comparison.Pair pair) {}

  /** True when {@code folder} holds at least one finished curriculum run. */
  public static boolean isCurriculumFolder(Path folder) {
    return !runs(folder).isEmpty();
  }

  /**
   * Reads every finished run in {@code folder}; runs whose settings differ in more than the width
   * are refused in one line naming the difference.
   */
  public static Arms read(Path folder) {
    List<Path> runs = runs(folder);
    Preconditions.checkArgument(
        !runs.isEmpty(),
        "%s holds no curriculum runs (expected subfolders with %s and a curriculum %s)",
        folder,
        RunDirectory.RESULT,
        RunDirectory.CONFIG);
    JsonNode first = settings(runs.get(0));
    String curriculum =
        first.path("pretrain").asText() + " then " + first.path("finetune").asText();
    String scratch = first.path("finetune").asText();
    List<SweepAnalysis.Observation> observations = new ArrayList<>();
    for (Path run : runs) {
      List<String> differences =
          Fingerprint.of(withoutWidth(first))
              .differences(Fingerprint.of(withoutWidth(settings(run))));
      Preconditions.checkArgument(
          differences.isEmpty(),
          "%s and %s are not one protocol at two sizes: %s",
          runs.get(0).getFileName(),
          run.getFileName(),
          String.join("; ", differences));
      for (JsonNode seed : Json.read(run.resolve(RunDirectory.RESULT)).path("seeds")) {
        for (String arm : List.of("curriculum", "scratch")) {
          JsonNode result = seed.path(arm);
          String setting = arm.equals("curriculum") ? curriculum : scratch;
          result
              .path("test_accuracy")
              .fields()
              .forEachRemaining(
                  e -> {
                    if (!e.getKey().equals("overall")) {
                      observations.add(
                          new SweepAnalysis.Observation(
                              setting,
                              e.getKey(),
                              new Thresholds.Point(
                                  result.path("params").asLong(),
                                  seed.path("seed").asLong(),
                                  e.getValue().asDouble()),
                              result.path("majority").path(e.getKey()).asDouble()));
                    }
                  });
        }
      }
    }
    return new Arms(
        SweepAnalysis.group(observations), new Comparison.Pair(scratch, curriculum, null));
  }

  private static JsonNode settings(Path run) {
    return Json.read(run.resolve(RunDirectory.CONFIG)).path("settings");
  }

  private static JsonNode withoutWidth(JsonNode settings) {
    ObjectNode copy = settings.deepCopy();
    copy.remove(WIDTH);
    return copy;
  }

  /** Subfolders holding a curriculum's config.json and result.json, by name. */
  private static List<Path> runs(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(folder)) {
      return children
          .filter(
              d ->
                  Files.isRegularFile(d.resolve(RunDirectory.RESULT))
                      && Files.isRegularFile(d.resolve(RunDirectory.CONFIG)))
          .filter(
              d ->
                  Json.read(d.resolve(RunDirectory.CONFIG))
                      .path("command")
                      .asText()
                      .equals("curriculum"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
    }
  }
}
