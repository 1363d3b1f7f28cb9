package dev.emergence.listops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluates expressions and builds chain-of-thought steps. Works on the token ids with explicit
 * stacks, no tree. Thread-safe (no shared scratch).
 */
public final class Evaluator {
  private final Modulus modulus;

  public Evaluator(Modulus modulus) {
    this.modulus = modulus;
  }

  public Modulus modulus() {
    return modulus;
  }

  /** The value of a well-formed expression. */
  public int evaluate(Expression expression) {
    int length = expression.length();
    int[] values = new int[length];
    int[] frames = new int[length]; // start of each open list in values
    Operator[] ops = new Operator[length];
    int top = 0;
    int open = 0;
    for (int i = 0; i < length; i++) {
      int id = expression.token(i);
      if (Vocabulary.isNumber(id)) {
        values[top++] = Vocabulary.valueOf(id);
      } else if (id == Vocabulary.CLOSE) {
        open--;
        int start = frames[open];
        int value = ops[open].apply(values, start, top, modulus);
        top = start;
        values[top++] = value;
      } else {
        ops[open] = Vocabulary.operatorOf(id);
        frames[open++] = top;
      }
    }
    return values[0];
  }

  /** One chain-of-thought step: every innermost list (all arguments numbers) replaced by its value. */
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
      if (Vocabulary.isOperator(id)) {
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
          for (int k = start + 1; k < size; k++) scratch[count++] = Vocabulary.valueOf(out[k]);
          int value = Vocabulary.operatorOf(out[start]).apply(scratch, 0, count, modulus);
          size = start;
          out[size++] = Vocabulary.FIRST_NUMBER + value;
        }
      } else {
        out[size++] = id;
      }
    }
    return new Expression(Arrays.copyOf(out, size));
  }

  /** The chain-of-thought steps after the expression: each a reduction of the previous; the last is the answer. */
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
