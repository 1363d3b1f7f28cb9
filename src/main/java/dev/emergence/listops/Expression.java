package dev.emergence.listops;

import com.google.common.base.Preconditions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * An immutable expression stored as its token ids in a {@link Vocabulary}, in prefix order: {@code
 * [MAX 2 9 [MIN 4 7 ] 0 ]} is {@code [MAX}, 2, 9, {@code [MIN}, 4, 7, {@code ]}, 0, {@code ]}. A
 * single value is an expression too (the last chain-of-thought step). Within one vocabulary, token
 * ids and canonical text are in one-to-one correspondence, so equality of token arrays is equality
 * of canonical text; expressions of different vocabularies are never equal.
 */
public final class Expression {
  private final int[] tokens;
  private final Vocabulary vocabulary;
  private final int hash;

  /** Trusted constructor: the array is owned, not copied, and well formed in the vocabulary. */
  Expression(int[] tokens, Vocabulary vocabulary) {
    this.tokens = tokens;
    this.vocabulary = vocabulary;
    this.hash = Arrays.hashCode(tokens);
  }

  /** A ListOps expression from token ids, checked to be well formed for modulus n. */
  public static Expression of(int[] tokens, int modulus) {
    return of(tokens, new Vocabulary(modulus));
  }

  /** An expression from token ids, checked to be well formed in the vocabulary. */
  public static Expression of(int[] tokens, Vocabulary vocabulary) {
    Preconditions.checkArgument(tokens.length > 0, "an expression needs at least one token");
    StringBuilder text = new StringBuilder();
    for (int id : tokens) text.append(vocabulary.token(id)).append(' ');
    return Parser.parse(text.toString(), vocabulary);
  }

  /**
   * Parses ListOps text; throws {@link ListOpsSyntaxException} naming the problem and its position.
   */
  public static Expression parse(String text, int modulus) {
    return Parser.parse(text, new Vocabulary(modulus));
  }

  /** Parses text in a vocabulary (the numbers of ListOps or the elements of a group). */
  public static Expression parse(String text, Vocabulary vocabulary) {
    return Parser.parse(text, vocabulary);
  }

  public Vocabulary vocabulary() {
    return vocabulary;
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

  /** True for a bare value (a number, an element, an answer digit). */
  public boolean isNumber() {
    return tokens.length == 1;
  }

  /**
   * The digit operators used anywhere in a ListOps expression ({@link #listOperators()} for any
   * domain).
   */
  public EnumSet<Operator> operators() {
    Preconditions.checkState(
        vocabulary.domain() instanceof Modulus,
        "%s expressions have no digit operators: use listOperators()",
        vocabulary.domain().description());
    EnumSet<Operator> ops = EnumSet.noneOf(Operator.class);
    for (ListOperator op : listOperators()) ops.add((Operator) op);
    return ops;
  }

  /** The operators used anywhere in the expression, in vocabulary order. */
  public Set<ListOperator> listOperators() {
    boolean[] used = new boolean[vocabulary.firstValue()];
    for (int id : tokens) if (vocabulary.isOperatorId(id)) used[id] = true;
    Set<ListOperator> ops = new LinkedHashSet<>();
    for (int id = Vocabulary.FIRST_OPERATOR; id < used.length; id++)
      if (used[id]) ops.add(vocabulary.operator(id));
    return ops;
  }

  /** Operator nesting depth: 0 for a value, 1 for a list of values. */
  public int depth() {
    int depth = 0, max = 0;
    for (int id : tokens) {
      if (vocabulary.isOperatorId(id)) max = Math.max(max, ++depth);
      else if (id == Vocabulary.CLOSE) depth--;
    }
    return max;
  }

  /** Appends the canonical text: tokens separated by single spaces. */
  public StringBuilder appendTo(StringBuilder out) {
    for (int i = 0; i < tokens.length; i++) {
      if (i > 0) out.append(' ');
      out.append(vocabulary.token(tokens[i]));
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
    return o instanceof Expression e
        && e.hash == hash
        && Arrays.equals(e.tokens, tokens)
        && e.vocabulary.equals(vocabulary);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
