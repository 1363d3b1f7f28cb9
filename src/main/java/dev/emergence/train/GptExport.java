package dev.emergence.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.emergence.listops.Group;
import dev.emergence.listops.Modulus;
import dev.emergence.listops.Vocabulary;
import dev.emergence.report.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The SavedModel of a GPT trained on a ListOps task, the same for any member of any stack (K = 1
 * included): the serving graph's variables and signatures ({@link ServingGraph#signatures}) and, in
 * {@code assets.extra/}, what a probe in another process needs to tokenize and to rebuild the task:
 * {@value #VOCABULARY} and {@value #TASK}.
 */
public final class GptExport {
  public static final String VOCABULARY = "vocabulary.json";
  public static final String TASK = "task.json";

  private GptExport() {}

  /** {@code vocabulary.json}: tokens in id order, the special ids and the modulus. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder(alphabetic = true)
  public record VocabularyAsset(
      List<String> tokens,
      int pad,
      int end,
      int equals,
      int firstNumber,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer modulus,
      @JsonInclude(JsonInclude.Include.NON_NULL) String group) {
    public static VocabularyAsset of(Vocabulary v) {
      List<String> tokens = IntStream.range(0, v.size()).mapToObj(v::token).toList();
      Integer modulus = v.domain() instanceof Modulus m ? m.n() : null;
      return new VocabularyAsset(
          tokens,
          Vocabulary.PAD,
          Vocabulary.END,
          Vocabulary.EQUALS,
          v.firstValue(),
          modulus,
          v.group().map(Group::name).orElse(null));
    }
  }

  /** Writes member {@code member} of a trained stack as a SavedModel ({@link Trainer#serving}). */
  public static void export(Trainer trainer, int member, Path dir, boolean replace) {
    try (ServingGraph graph = trainer.serving(member)) {
      export(graph, trainer.members().get(member).task(), dir, replace);
    }
  }

  /**
   * Writes the SavedModel atomically to {@code dir}, replacing an earlier one only with {@code
   * replace}.
   */
  public static void export(ServingGraph graph, ListOpsTask task, Path dir, boolean replace) {
    // task.json: the task's description, plus the model config and the signature names.
    Map<String, Object> description =
        new TreeMap<>(
            Json.mapper()
                .convertValue(task.description(), new TypeReference<Map<String, Object>>() {}));
    description.put("model", graph.config());
    description.put(
        "signatures", List.of(ServingGraph.SERVING, ServingGraph.PROBE, ServingGraph.ABLATE));
    ModelExport.export(
        graph.session(),
        dir,
        replace,
        graph.signatures(),
        Map.of(
            VOCABULARY,
            Json.pretty(VocabularyAsset.of(task.tokenizer().vocabulary())),
            TASK,
            Json.pretty(description)));
  }
}
