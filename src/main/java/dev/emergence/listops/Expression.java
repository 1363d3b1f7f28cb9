package dev.emergence.listops;

import com.google.common.base.Preconditions;
import java.util.Arrays;
import java.util.EnumSet;

/**
 * An immutable ListOps expression stored as its token ids (see {@link Vocabulary}) in prefix order:
 * {@code [MAX 2 9 [MIN 4 7 ] 0 ]} is {@code [MAX}, 2, 9, {@code [MIN}, 4, 7, {@code ]}, 0, {@code ]}. A
 * single number is an expression too (the last chain-of-thought step). Token ids and canonical text are
 * in one-to-one correspondence, so equality of token arrays is equality of canonical text.
 */
public final class Expression {
  private final int[] tokens;
  private final int hash;

  /** Trusted constructor: the array is owned, not copied, and well formed. */
  Expression(int[] tokens) {
    this.tokens = tokens;
    this.hash = Arrays.hashCode(tokens);
  }

  /** An expression from token ids, checked to be well formed for modulus n. */
  public static Expression of(int[] tokens, int modulus) {
    Preconditions.checkArgument(tokens.length > 0, "an expression needs at least one token");
    Vocabulary vocabulary = new Vocabulary(modulus);
    StringBuilder text = new StringBuilder();
    for (int id : tokens) text.append(vocabulary.token(id)).append(' ');
    return Parser.parse(text.toString(), modulus);
  }

  /** Parses ListOps text; throws {@link ListOpsSyntaxException} naming the problem and its position. */
  public static Expression parse(String text, int modulus) {
    return Parser.parse(text, modulus);
  }

  /** The token ids (a copy). */
  public int[] tokens() {
    return tokens.clone();
  }

  public int token(int index) {
    return tokens[index];
  }

  public int length() {
    return tokens.length;
  }

  /** True for a bare number. */
  public boolean isNumber() {
    return tokens.length == 1;
  }

  /** The operators used anywhere in the expression. */
  public EnumSet<Operator> operators() {
    EnumSet<Operator> ops = EnumSet.noneOf(Operator.class);
    for (int id : tokens) if (Vocabulary.isOperator(id)) ops.add(Vocabulary.operatorOf(id));
    return ops;
  }

  /** Operator nesting depth: 0 for a number, 1 for a list of numbers. */
  public int depth() {
    int depth = 0, max = 0;
    for (int id : tokens) {
      if (Vocabulary.isOperator(id)) max = Math.max(max, ++depth);
      else if (id == Vocabulary.CLOSE) depth--;
    }
    return max;
  }

  /** Appends the canonical text: tokens separated by single spaces. */
  public StringBuilder appendTo(StringBuilder out) {
    for (int i = 0; i < tokens.length; i++) {
      if (i > 0) out.append(' ');
      int id = tokens[i];
      if (Vocabulary.isNumber(id)) out.append(Vocabulary.valueOf(id));
      else if (id == Vocabulary.CLOSE) out.append(']');
      else out.append(Vocabulary.operatorOf(id).token());
    }
    return out;
  }

  /** The canonical text, e.g. {@code [MAX 2 9 [MIN 4 7 ] 0 ]}. */
  @Override
  public String toString() {
    return appendTo(new StringBuilder(tokens.length * 3)).toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Expression e && e.hash == hash && Arrays.equals(e.tokens, tokens);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
