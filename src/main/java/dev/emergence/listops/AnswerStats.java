package dev.emergence.listops;

import com.google.common.base.Preconditions;

/**
 * The distribution of answers in a split and the majority-class accuracy, the chance level against
 * which "learned" is judged (e.g. MAX of three digits is 9 far more often than 1/n).
 */
// Arrays by design: counts indexed by answer value; a plain array is the natural form.
@SuppressWarnings("ArrayRecordComponent")
public record AnswerStats(int[] counts, int total) {
  public AnswerStats {
    counts = counts.clone();
    int sum = 0;
    for (int c : counts) sum += c;
    Preconditions.checkArgument(sum == total, "counts sum to %s, expected total %s", sum, total);
  }

  /**
   * The answers of a split whose values are {@code 0 .. values-1} (the modulus, or a group's {@link
   * Domain#values()}).
   */
  public static AnswerStats of(Split split, int values) {
    int[] counts = new int[values];
    for (int i = 0; i < split.size(); i++) counts[split.answer(i)]++;
    return new AnswerStats(counts, split.size());
  }

  /** How many examples have answer {@code value}. */
  public int count(int value) {
    return counts[value];
  }

  @Override
  public int[] counts() {
    return counts.clone();
  }

  /** The most frequent answer (the smallest one on ties); 0 for an empty split. */
  public int majorityAnswer() {
    int best = 0;
    for (int v = 1; v < counts.length; v++) if (counts[v] > counts[best]) best = v;
    return best;
  }

  /** Accuracy of always answering the majority answer; 0 for an empty split. */
  public double majorityAccuracy() {
    return total == 0 ? 0 : (double) counts[majorityAnswer()] / total;
  }
}
