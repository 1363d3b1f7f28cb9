package dev.emergence.train;

import dev.emergence.listops.EncodedBatch;
import dev.emergence.listops.ListOperator;
import dev.emergence.listops.Vocabulary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exact-match accuracy of the answer, for every member of a stack at once ({@link
 * TrainingGraph#predictAt}: one position per row and member). Without chain of thought the model's
 * greedy token at the first {@code =} must be the answer. With chain of thought the model decodes
 * greedily from the first {@code =} until it emits {@code <end>} (or runs out of context), and the
 * chain must end in {@code = answer <end>}; intermediate steps are not checked.
 */
public final class Evaluation {
  private Evaluation() {}

  /** Overall accuracy (all examples of all operators) and one per operator. */
  public record Accuracy(double overall, Map<String, Double> perOperator, int examples) {
    /** {@code {"overall": x, "MAX": y, ...}} as result.json records it. */
    public Map<String, Double> asMap() {
      Map<String, Double> out = new LinkedHashMap<>();
      out.put("overall", overall);
      out.putAll(perOperator);
      return out;
    }
  }

  /**
   * The accuracy of every member in {@code which}, each on its own encoded splits (the others get
   * an empty accuracy), all members in one run per chunk of rows (per decoding step with {@code
   * cot}).
   */
  public static List<Accuracy> evaluate(
      TrainingGraph graph,
      Vocabulary vocabulary,
      List<Map<ListOperator, EncodedBatch>> splits,
      boolean[] which,
      boolean cot) {
    int k = graph.models();
    int e = graph.evalRows();
    List<List<EncodedBatch>> batches = new ArrayList<>();
    List<boolean[]> correct = new ArrayList<>();
    int chunks = 0;
    for (int m = 0; m < k; m++) {
      List<EncodedBatch> list = which[m] ? List.copyOf(splits.get(m).values()) : List.of();
      batches.add(list);
      int rows = list.stream().mapToInt(EncodedBatch::batchSize).sum();
      correct.add(new boolean[rows]);
      chunks = Math.max(chunks, (rows + e - 1) / e);
    }
    for (int c = 0; c < chunks; c++) {
      new Chunk(graph, vocabulary, batches, c * e).judge(correct, cot);
    }
    List<Accuracy> out = new ArrayList<>();
    for (int m = 0; m < k; m++) {
      Map<String, Double> per = new LinkedHashMap<>();
      int row = 0;
      long right = 0;
      for (Map.Entry<ListOperator, EncodedBatch> entry :
          which[m] ? splits.get(m).entrySet() : Map.<ListOperator, EncodedBatch>of().entrySet()) {
        int n = 0;
        for (int r = 0; r < entry.getValue().batchSize(); r++, row++) {
          n += correct.get(m)[row] ? 1 : 0;
        }
        per.put(entry.getKey().name(), n / (double) entry.getValue().batchSize());
        right += n;
      }
      out.add(new Accuracy(row == 0 ? 0 : right / (double) row, per, row));
    }
    return out;
  }

  /**
   * Rows {@code from .. from+E-1} of every member's concatenated batches, laid out as the graph's
   * evaluation input {@code [K, E, T]} with the first '=' of each row; slots past a member's last
   * row stay empty.
   */
  private static final class Chunk {
    private final TrainingGraph graph;
    private final int k;
    private final int e;
    private final int t;
    private final int from;
    private final int[] inputs;
    private final int[] at;
    private final int[] answers;
    private final boolean[] used;

    Chunk(TrainingGraph graph, Vocabulary vocabulary, List<List<EncodedBatch>> batches, int from) {
      this.graph = graph;
      this.k = graph.models();
      this.e = graph.evalRows();
      this.t = graph.length() - 1;
      this.from = from;
      inputs = new int[k * e * t];
      at = new int[k * e];
      answers = new int[k * e];
      used = new boolean[k * e];
      for (int m = 0; m < k; m++) {
        int row = 0;
        for (EncodedBatch batch : batches.get(m)) {
          for (int r = 0; r < batch.batchSize(); r++, row++) {
            int slot = row - from;
            if (slot < 0 || slot >= e) {
              continue;
            }
            int i = m * e + slot;
            System.arraycopy(
                batch.ids(), r * batch.length(), inputs, i * t, Math.min(batch.length(), t));
            at[i] = batch.equalsPositions()[r];
            answers[i] = vocabulary.valueId(batch.answers()[r]);
            used[i] = true;
          }
        }
      }
    }

    /**
     * Writes whether each used slot is answered correctly into {@code correct} (per member, by
     * row).
     */
    void judge(List<boolean[]> correct, boolean cot) {
      boolean[] ok = cot ? decode() : direct();
      for (int m = 0; m < k; m++) {
        for (int slot = 0; slot < e; slot++) {
          if (used[m * e + slot]) {
            correct.get(m)[from + slot] = ok[m * e + slot];
          }
        }
      }
    }

    /** The greedy token at the first '=' is the answer. */
    private boolean[] direct() {
      int[] predicted = graph.predictAt(inputs, at);
      boolean[] ok = new boolean[k * e];
      for (int i = 0; i < ok.length; i++) {
        ok[i] = predicted[i] == answers[i];
      }
      return ok;
    }

    /**
     * Greedy decoding from the first '=', every row of every member one token per run. {@code
     * <end>} is not written into the buffer, so a chain whose {@code <end>} is the last token of
     * the longest row still fits the model's {@code length - 1} inputs.
     */
    private boolean[] decode() {
      int[] buffer = inputs.clone();
      int[] cur = at.clone();
      boolean[] live = used.clone();
      boolean[] ended = new boolean[k * e];
      int left = 0;
      for (int i = 0; i < k * e; i++) {
        java.util.Arrays.fill(buffer, i * t + cur[i] + 1, (i + 1) * t, Vocabulary.PAD);
        left += live[i] ? 1 : 0;
      }
      while (left > 0) {
        int[] predicted = graph.predictAt(buffer, cur);
        for (int i = 0; i < k * e; i++) {
          if (!live[i]) {
            continue;
          }
          if (predicted[i] == Vocabulary.END) {
            ended[i] = true;
          } else if (cur[i] + 1 < t) {
            buffer[i * t + ++cur[i]] = predicted[i];
            continue;
          }
          live[i] = false; // ended, or the context is full without <end>
          left--;
        }
      }
      boolean[] ok = new boolean[k * e];
      for (int i = 0; i < ok.length; i++) {
        int c = cur[i];
        ok[i] =
            ended[i]
                && c >= 1
                && buffer[i * t + c] == answers[i]
                && buffer[i * t + c - 1] == Vocabulary.EQUALS;
      }
      return ok;
    }
  }
}
