package dev.emergence.listops;

import com.google.common.base.Preconditions;
import java.util.List;

/**
 * Turns examples into model sequences over a {@link Vocabulary} and back. A sequence is {@code expr
 * = answer <end>}, or with chain of thought {@code expr = step1 = ... = answer <end>}, each step
 * replacing every innermost list of the previous one by its value.
 */
public final class Tokenizer {
  private final Vocabulary vocabulary;
  private final Evaluator evaluator;

  /** The tokenizer of ListOps modulo n. */
  public Tokenizer(int modulus) {
    this(new Vocabulary(modulus));
  }

  public Tokenizer(Vocabulary vocabulary) {
    this.vocabulary = vocabulary;
    this.evaluator = new Evaluator(vocabulary);
  }

  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /** The full sequence of one example, without padding. */
  public int[] sequence(Expression expression, int answer, boolean cot) {
    int[] out = new int[sequenceLength(expression, cot)];
    write(expression, answer, cot, out, 0);
    return out;
  }

  /** Length of the sequence of an expression, without padding. */
  public int sequenceLength(Expression expression, boolean cot) {
    if (!cot) return expression.length() + 3;
    int length = expression.length() + 1; // <end>
    for (Expression step : evaluator.chain(expression)) length += 1 + step.length();
    return length;
  }

  /** The longest sequence of a split: the smallest batch length that fits every example. */
  public int maxSequenceLength(Split split, boolean cot) {
    int max = 0;
    for (int i = 0; i < split.size(); i++) {
      max = Math.max(max, cot ? sequenceLength(split.expression(i), true) : split.length(i) + 3);
    }
    return max;
  }

  /** Encodes examples {@code indices} of a split into rows of {@code length} tokens. */
  public EncodedBatch encode(Split split, int[] indices, int length, boolean cot) {
    int b = indices.length;
    int[] ids = new int[b * length];
    float[] mask = new float[b * length];
    int[] equals = new int[b];
    int[] answers = new int[b];
    for (int row = 0; row < b; row++) {
      int i = indices[row];
      int base = row * length;
      int answer = split.answer(i);
      answers[row] = answer;
      int end;
      if (!cot) {
        int n = split.length(i);
        Preconditions.checkArgument(
            n + 3 <= length, "example %s needs %s tokens, batch length is %s", i, n + 3, length);
        split.copyTokens(i, ids, base);
        ids[base + n] = Vocabulary.EQUALS;
        ids[base + n + 1] = vocabulary.valueId(answer);
        ids[base + n + 2] = Vocabulary.END;
        equals[row] = n;
        end = n + 2;
      } else {
        Expression e = split.expression(i);
        int n = sequenceLength(e, true);
        Preconditions.checkArgument(
            n <= length, "example %s needs %s tokens, batch length is %s", i, n, length);
        write(e, answer, true, ids, base);
        equals[row] = e.length();
        end = n - 1;
      }
      for (int t = equals[row]; t < end; t++) mask[base + t] = 1f;
    }
    return new EncodedBatch(b, length, ids, mask, equals, answers);
  }

  /** Encodes examples {@code from .. from+count-1} of a split. */
  public EncodedBatch encode(Split split, int from, int count, int length, boolean cot) {
    int[] indices = new int[count];
    for (int k = 0; k < count; k++) indices[k] = from + k;
    return encode(split, indices, length, cot);
  }

  /** Whitespace-separated tokens to ids (strict: every token must be in the vocabulary). */
  public int[] encode(String text) {
    String trimmed = text.trim();
    if (trimmed.isEmpty()) return new int[0];
    String[] tokens = trimmed.split("\\s+", -1);
    int[] ids = new int[tokens.length];
    for (int k = 0; k < tokens.length; k++) ids[k] = vocabulary.id(tokens[k]);
    return ids;
  }

  /** Ids to text, tokens separated by single spaces, padding dropped. */
  public String decode(int[] ids) {
    StringBuilder out = new StringBuilder();
    for (int id : ids) {
      if (id == Vocabulary.PAD) continue;
      if (out.length() > 0) out.append(' ');
      out.append(vocabulary.token(id));
    }
    return out.toString();
  }

  private int write(Expression expression, int answer, boolean cot, int[] out, int at) {
    for (int k = 0; k < expression.length(); k++) out[at++] = expression.token(k);
    if (cot) {
      List<Expression> steps = evaluator.chain(expression);
      for (Expression step : steps) {
        out[at++] = Vocabulary.EQUALS;
        for (int k = 0; k < step.length(); k++) out[at++] = step.token(k);
      }
    } else {
      out[at++] = Vocabulary.EQUALS;
      out[at++] = vocabulary.valueId(answer);
    }
    out[at++] = Vocabulary.END;
    return at;
  }
}
