package dev.emergence.listops;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts and lists every pure expression of one operator that the generator can produce for a
 * config (its support: all shapes up to the max depth when the leaf probability is strictly between
 * 0 and 1, only full trees when it is 0, only flat lists when it is 1). A pure expression's inner
 * lists use the operator's {@link ListOperator#inner()}, so every operator has the same number of
 * them.
 */
public final class Enumerator {
  private final GeneratorConfig config;

  public Enumerator(GeneratorConfig config) {
    this.config = config;
  }

  /** Number of distinct pure expressions of one operator, saturating at {@code Long.MAX_VALUE}. */
  public long count() {
    return listCount(0);
  }

  /**
   * Every pure expression of {@code op}, in a fixed order (leaves ascending, shorter lists first).
   */
  public List<Example> enumerate(ListOperator op) {
    long count = count();
    if (count > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("cannot enumerate " + count + " expressions");
    }
    Vocabulary vocabulary = new Vocabulary(config.domain());
    Evaluator evaluator = new Evaluator(vocabulary);
    List<Example> out = new ArrayList<>((int) count);
    for (int[] tokens : lists(0, op, vocabulary)) {
      Expression e = new Expression(tokens, vocabulary);
      out.add(new Example(e, evaluator.evaluate(e)));
    }
    return out;
  }

  private boolean leafAllowed(int depth) {
    return depth >= config.maxDepth() || config.leafProbability() > 0;
  }

  private boolean listAllowed(int depth) {
    return depth < config.maxDepth() && config.leafProbability() < 1;
  }

  private long listCount(int depth) {
    long child = 0;
    if (leafAllowed(depth + 1)) child = config.domain().leaves();
    if (listAllowed(depth + 1)) child = saturatedAdd(child, listCount(depth + 1));
    long total = 0;
    for (int k = config.arity().min(); k <= config.arity().max(); k++) {
      long power = 1;
      for (int i = 0; i < k; i++) power = saturatedMultiply(power, child);
      total = saturatedAdd(total, power);
    }
    return total;
  }

  /** The lists of {@code op} at {@code depth}, their inner lists of {@code op.inner()}. */
  private List<int[]> lists(int depth, ListOperator op, Vocabulary vocabulary) {
    List<int[]> children = new ArrayList<>();
    if (leafAllowed(depth + 1)) {
      for (int v = 0; v < config.domain().leaves(); v++)
        children.add(new int[] {vocabulary.valueId(v)});
    }
    if (listAllowed(depth + 1)) children.addAll(lists(depth + 1, op.inner(), vocabulary));
    List<int[]> out = new ArrayList<>();
    for (int k = config.arity().min(); k <= config.arity().max(); k++) {
      int[] choice = new int[k];
      do {
        int length = 2;
        for (int c : choice) length += children.get(c).length;
        int[] tokens = new int[length];
        tokens[0] = vocabulary.id(op);
        int at = 1;
        for (int c : choice) {
          int[] child = children.get(c);
          System.arraycopy(child, 0, tokens, at, child.length);
          at += child.length;
        }
        tokens[at] = Vocabulary.CLOSE;
        out.add(tokens);
      } while (increment(choice, children.size()));
    }
    return out;
  }

  /** Next tuple in odometer order (last position fastest); false after the last. */
  private static boolean increment(int[] choice, int base) {
    for (int i = choice.length - 1; i >= 0; i--) {
      if (++choice[i] < base) return true;
      choice[i] = 0;
    }
    return false;
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return r < 0 ? Long.MAX_VALUE : r;
  }

  private static long saturatedMultiply(long a, long b) {
    if (a == 0 || b == 0) return 0;
    return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
  }
}
