package dev.emergence.probe;

import dev.emergence.listops.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The model's answers to prompts {@code expr =}, decoded greedily as {@link
 * dev.emergence.train.Evaluation} does: without chain of thought the token after {@code =}; with
 * it, tokens until {@code <end>} (or a full context), and the answer is the value after the last
 * {@code =} (a number, a group element or an answer digit, in the model's {@link Vocabulary}).
 * Works through any forward function, so ablated models decode the same way.
 */
public final class Answers {
  private static final int CHUNK = 256;

  private Answers() {}

  /** Greedy next tokens {@code [b, t]} for ids {@code [b, t]}. */
  public interface Forward {
    int[] argmax(int[] ids, int b, int t);
  }

  /**
   * One decoded answer. {@code generated}: the tokens after the prompt ({@code <end>} excluded);
   * {@code answer}: the value the model gave, or -1 when its output is not {@code ... = value
   * <end>} ({@code direct}: a value token right after {@code =}).
   */
  // Arrays by design: the generated token ids as fetched from the model.
  @SuppressWarnings("ArrayRecordComponent")
  public record Decoded(int[] generated, boolean ended, int answer) {}

  /** Decodes every prompt (expression tokens followed by {@code =}) of {@code vocabulary}. */
  public static List<Decoded> decode(
      Forward forward, List<int[]> prompts, boolean cot, int context, Vocabulary vocabulary) {
    for (int[] p : prompts) {
      if (p.length > context) {
        throw new IllegalArgumentException(
            "a prompt of "
                + p.length
                + " tokens (expression and '=') does not fit the model's context of "
                + context
                + " tokens");
      }
    }
    List<Decoded> out = new ArrayList<>(prompts.size());
    for (int from = 0; from < prompts.size(); from += CHUNK) {
      List<int[]> chunk = prompts.subList(from, Math.min(prompts.size(), from + CHUNK));
      out.addAll(
          cot ? chain(forward, chunk, context, vocabulary) : direct(forward, chunk, vocabulary));
    }
    return out;
  }

  /** Whether each decoded answer equals the true one. */
  public static boolean[] correct(List<Decoded> decoded, int[] answers) {
    boolean[] ok = new boolean[answers.length];
    for (int i = 0; i < ok.length; i++) {
      ok[i] = decoded.get(i).answer() == answers[i];
    }
    return ok;
  }

  public static double accuracy(List<Decoded> decoded, int[] answers) {
    if (answers.length == 0) {
      return Double.NaN;
    }
    int right = 0;
    for (boolean b : correct(decoded, answers)) {
      right += b ? 1 : 0;
    }
    return right / (double) answers.length;
  }

  private static List<Decoded> direct(Forward forward, List<int[]> prompts, Vocabulary vocabulary) {
    int n = prompts.size();
    int t = 0;
    for (int[] p : prompts) {
      t = Math.max(t, p.length);
    }
    int[] ids = pack(prompts, t);
    int[] next = forward.argmax(ids, n, t);
    List<Decoded> out = new ArrayList<>(n);
    for (int r = 0; r < n; r++) {
      int token = next[r * t + prompts.get(r).length - 1];
      out.add(
          new Decoded(
              new int[] {token},
              false,
              vocabulary.isValueId(token) ? vocabulary.value(token) : -1));
    }
    return out;
  }

  private static List<Decoded> chain(
      Forward forward, List<int[]> prompts, int context, Vocabulary vocabulary) {
    int n = prompts.size();
    int t = context;
    int[] buffer = pack(prompts, t);
    int[] cur = new int[n];
    boolean[] done = new boolean[n];
    boolean[] ended = new boolean[n];
    int live = n;
    for (int r = 0; r < n; r++) {
      cur[r] = prompts.get(r).length - 1;
    }
    while (live > 0) {
      int[] next = forward.argmax(buffer, n, t);
      for (int r = 0; r < n; r++) {
        if (done[r]) {
          continue;
        }
        int token = next[r * t + cur[r]];
        if (token == Vocabulary.END) {
          ended[r] = true;
        } else if (cur[r] + 1 < t) {
          buffer[r * t + ++cur[r]] = token;
          continue;
        }
        done[r] = true;
        live--;
      }
    }
    List<Decoded> out = new ArrayList<>(n);
    for (int r = 0; r < n; r++) {
      int start = prompts.get(r).length;
      int c = cur[r];
      int[] generated = Arrays.copyOfRange(buffer, r * t + start, r * t + c + 1);
      int last = buffer[r * t + c];
      boolean shaped =
          ended[r]
              && c >= 1
              && vocabulary.isValueId(last)
              && buffer[r * t + c - 1] == Vocabulary.EQUALS
              && c >= start;
      out.add(new Decoded(generated, ended[r], shaped ? vocabulary.value(last) : -1));
    }
    return out;
  }

  /** Prompts left-aligned in rows of {@code t} tokens, padded with {@code <pad>}. */
  static int[] pack(List<int[]> prompts, int t) {
    int[] ids = new int[prompts.size() * t];
    for (int r = 0; r < prompts.size(); r++) {
      int[] p = prompts.get(r);
      if (p.length > t) {
        throw new IllegalArgumentException(
            "a prompt of "
                + p.length
                + " tokens does not fit the model's context of "
                + t
                + " tokens");
      }
      System.arraycopy(p, 0, ids, r * t, p.length);
    }
    return ids;
  }
}
