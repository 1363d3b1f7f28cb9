package dev.emergence.train;

import dev.emergence.listops.EncodedBatch;
import dev.emergence.listops.Operator;
import dev.emergence.listops.Split;
import dev.emergence.listops.Vocabulary;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exact-match accuracy of the answer. Without chain of thought the model's greedy token at the first
 * {@code =} must be the answer. With chain of thought the model decodes greedily from the first {@code
 * =} until it emits {@code <end>} (or runs out of context), and the chain must end in {@code = answer
 * <end>}; intermediate steps are not checked.
 */
public final class Evaluation {
  private static final int CHUNK = 512;

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

  public static Accuracy evaluate(GptGraph graph, ListOpsTask task, Map<Operator, Split> splits) {
    Map<String, Double> per = new LinkedHashMap<>();
    long right = 0;
    int total = 0;
    for (Operator op : task.operators()) {
      Split split = splits.get(op);
      if (split == null || split.size() == 0) {
        continue;
      }
      boolean[] ok = correct(graph, task.encode(split), task.cot());
      int n = 0;
      for (boolean b : ok) {
        n += b ? 1 : 0;
      }
      per.put(op.name(), n / (double) ok.length);
      right += n;
      total += ok.length;
    }
    return new Accuracy(total == 0 ? 0 : right / (double) total, per, total);
  }

  /** Whether each row of the batch is answered correctly. */
  public static boolean[] correct(GptGraph graph, EncodedBatch batch, boolean cot) {
    boolean[] ok = new boolean[batch.batchSize()];
    for (int from = 0; from < batch.batchSize(); from += CHUNK) {
      int n = Math.min(CHUNK, batch.batchSize() - from);
      if (cot) {
        decode(graph, batch, from, n, ok);
      } else {
        direct(graph, batch, from, n, ok);
      }
    }
    return ok;
  }

  private static void direct(GptGraph graph, EncodedBatch batch, int from, int n, boolean[] ok) {
    int t = 0;
    for (int r = 0; r < n; r++) {
      t = Math.max(t, batch.equalsPositions()[from + r] + 1);
    }
    int[] input = rows(batch, from, n, t); // [n, t]
    int[] predictions = graph.predict(input, n, t); // [n, t]
    for (int r = 0; r < n; r++) {
      int eq = batch.equalsPositions()[from + r];
      ok[from + r] = predictions[r * t + eq] == Vocabulary.FIRST_NUMBER + batch.answers()[from + r];
    }
  }

  /**
   * Greedy decoding from the first '='. {@code <end>} is not written into the buffer, so a chain whose
   * {@code <end>} is the last token of the longest row still fits the model's {@code length - 1} inputs.
   */
  private static void decode(GptGraph graph, EncodedBatch batch, int from, int n, boolean[] ok) {
    int t = Math.min(batch.length() - 1, graph.config().context());
    int[] buffer = rows(batch, from, n, t); // [n, t]
    int[] cur = new int[n];
    boolean[] done = new boolean[n];
    boolean[] ended = new boolean[n];
    int live = n;
    for (int r = 0; r < n; r++) {
      cur[r] = batch.equalsPositions()[from + r];
      for (int p = cur[r] + 1; p < t; p++) {
        buffer[r * t + p] = Vocabulary.PAD;
      }
    }
    while (live > 0) {
      int[] predictions = graph.predict(buffer, n, t); // [n, t]
      for (int r = 0; r < n; r++) {
        if (done[r]) {
          continue;
        }
        int next = predictions[r * t + cur[r]];
        if (next == Vocabulary.END) {
          ended[r] = true;
        } else if (cur[r] + 1 < t) {
          buffer[r * t + ++cur[r]] = next;
          continue;
        }
        done[r] = true; // ended, or the context is full without <end>
        live--;
      }
    }
    for (int r = 0; r < n; r++) {
      int c = cur[r];
      int answer = Vocabulary.FIRST_NUMBER + batch.answers()[from + r];
      ok[from + r] = ended[r] && c >= 1 && buffer[r * t + c] == answer && buffer[r * t + c - 1] == Vocabulary.EQUALS;
    }
  }

  /** The first {@code t} tokens of rows {@code from .. from+n-1}: [batch, length] -> [n, t]. */
  private static int[] rows(EncodedBatch batch, int from, int n, int t) {
    int[] out = new int[n * t];
    for (int r = 0; r < n; r++) {
      System.arraycopy(batch.ids(), (from + r) * batch.length(), out, r * t, t);
    }
    return out;
  }
}
