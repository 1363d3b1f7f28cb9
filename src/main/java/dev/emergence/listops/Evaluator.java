package dev.emergence.listops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluates expressions of one {@link Vocabulary} and builds chain-of-thought steps. Works on the
 * token ids with explicit stacks, no tree. Values are those of the vocabulary's {@link Domain}: a
 * number, a group element, or the answer digit of a root PSIGN or PAT0. Thread-safe (no shared
 * scratch).
 */
public final class Evaluator {
  private final Vocabulary vocabulary;
  private final Domain domain;

  /** The evaluator of ListOps expressions modulo n. */
  public Evaluator(Modulus modulus) {
    this(new Vocabulary(modulus));
  }

  public Evaluator(Vocabulary vocabulary) {
    this.vocabulary = vocabulary;
    this.domain = vocabulary.domain();
  }

  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /** The value of a well-formed expression. */
  public int evaluate(Expression expression) {
    int length = expression.length();
    int[] values = new int[length];
    int[] frames = new int[length]; // start of each open list in values
    ListOperator[] ops = new ListOperator[length];
    int top = 0;
    int open = 0;
    for (int i = 0; i < length; i++) {
      int id = expression.token(i);
      if (vocabulary.isValueId(id)) {
        values[top++] = vocabulary.value(id);
      } else if (id == Vocabulary.CLOSE) {
        open--;
        int start = frames[open];
        int value = domain.apply(ops[open], values, start, top);
        top = start;
        values[top++] = value;
      } else {
        ops[open] = vocabulary.operator(id);
        frames[open++] = top;
      }
    }
    return values[0];
  }

  /**
   * One chain-of-thought step: every innermost list (all arguments values) replaced by its value.
   */
  public Expression reduceInnermost(Expression expression) {
    if (expression.isNumber()) return expression;
    int length = expression.length();
    int[] out = new int[length];
    int size = 0;
    int[] starts = new int[length]; // position in out of each open operator token
    boolean[] nested = new boolean[length]; // whether an open list contains a list
    int[] scratch = new int[length];
    int open = 0;
    for (int i = 0; i < length; i++) {
      int id = expression.token(i);
      if (vocabulary.isOperatorId(id)) {
        if (open > 0) nested[open - 1] = true;
        starts[open] = size;
        nested[open++] = false;
        out[size++] = id;
      } else if (id == Vocabulary.CLOSE) {
        open--;
        int start = starts[open];
        if (nested[open]) {
          out[size++] = id;
        } else {
          int count = 0;
          for (int k = start + 1; k < size; k++) scratch[count++] = vocabulary.value(out[k]);
          int value = domain.apply(vocabulary.operator(out[start]), scratch, 0, count);
          size = start;
          out[size++] = vocabulary.valueId(value);
        }
      } else {
        out[size++] = id;
      }
    }
    return new Expression(Arrays.copyOf(out, size), vocabulary);
  }

  /**
   * The chain-of-thought steps after the expression: each a reduction of the previous; the last is
   * the answer.
   */
  public List<Expression> chain(Expression expression) {
    List<Expression> steps = new ArrayList<>(expression.depth());
    Expression current = expression;
    while (!current.isNumber()) {
      current = reduceInnermost(current);
      steps.add(current);
    }
    return steps;
  }

  /** The chain-of-thought text {@code expr = step1 = ... = answer}. */
  public String chainText(Expression expression) {
    StringBuilder out = expression.appendTo(new StringBuilder());
    for (Expression step : chain(expression)) step.appendTo(out.append(" = "));
    return out.toString();
  }
}
