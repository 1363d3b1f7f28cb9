package dev.emergence.listops;

import com.google.common.base.Preconditions;
import java.util.Arrays;

/**
 * A named list of examples of one vocabulary in compact arrays: all token ids concatenated, an
 * offset per example, and the answers. A million depth-3 examples take about 100 MB less than a
 * list of objects would.
 */
public final class Split {
  private final String name;
  private final Vocabulary vocabulary; // null while empty
  private final int[] tokens;
  private final int[] offsets; // example i is tokens[offsets[i] .. offsets[i + 1])
  private final int[] answers;

  private Split(String name, Vocabulary vocabulary, int[] tokens, int[] offsets, int[] answers) {
    this.name = name;
    this.vocabulary = vocabulary;
    this.tokens = tokens;
    this.offsets = offsets;
    this.answers = answers;
  }

  /** {@code train}, {@code validation} or {@code test}. */
  public String name() {
    return name;
  }

  public int size() {
    return answers.length;
  }

  public Expression expression(int i) {
    return new Expression(Arrays.copyOfRange(tokens, offsets[i], offsets[i + 1]), vocabulary);
  }

  public int answer(int i) {
    return answers[i];
  }

  /** Number of tokens of example i's expression. */
  public int length(int i) {
    return offsets[i + 1] - offsets[i];
  }

  public int maxLength() {
    int max = 0;
    for (int i = 0; i < answers.length; i++) max = Math.max(max, length(i));
    return max;
  }

  /** Copies example i's expression tokens into {@code out} at {@code at}; returns the count. */
  public int copyTokens(int i, int[] out, int at) {
    int length = length(i);
    System.arraycopy(tokens, offsets[i], out, at, length);
    return length;
  }

  public static Builder builder(String name, int expectedSize) {
    return new Builder(name, expectedSize);
  }

  /** Appends examples of one vocabulary; {@link #build()} trims the arrays. */
  public static final class Builder {
    private final String name;
    private Vocabulary vocabulary;
    private int[] tokens;
    private int[] offsets;
    private int[] answers;
    private int size;

    private Builder(String name, int expectedSize) {
      Preconditions.checkArgument(
          expectedSize >= 0, "expected size must be >= 0, got %s", expectedSize);
      this.name = name;
      this.tokens = new int[Math.max(16, expectedSize * 16)];
      this.offsets = new int[expectedSize + 1];
      this.answers = new int[Math.max(1, expectedSize)];
    }

    public Builder add(Example example) {
      Expression e = example.expression();
      if (vocabulary == null) vocabulary = e.vocabulary();
      if (!e.vocabulary().equals(vocabulary)) {
        throw new IllegalArgumentException(
            "a split holds one vocabulary: "
                + vocabulary.domain().description()
                + ", not "
                + e.vocabulary().domain().description());
      }
      int length = e.length();
      int start = offsets[size];
      if (start + length > tokens.length)
        tokens = Arrays.copyOf(tokens, Math.max(tokens.length * 2, start + length));
      if (size + 2 > offsets.length)
        offsets = Arrays.copyOf(offsets, Math.max(4, offsets.length * 2));
      if (size + 1 > answers.length) answers = Arrays.copyOf(answers, answers.length * 2);
      for (int k = 0; k < length; k++) tokens[start + k] = e.token(k);
      answers[size] = example.answer();
      offsets[++size] = start + length;
      return this;
    }

    public int size() {
      return size;
    }

    public Split build() {
      return new Split(
          name,
          vocabulary,
          Arrays.copyOf(tokens, offsets[size]),
          Arrays.copyOf(offsets, size + 1),
          Arrays.copyOf(answers, size));
    }
  }
}
