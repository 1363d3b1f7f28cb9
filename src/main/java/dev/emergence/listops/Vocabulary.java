package dev.emergence.listops;

import com.google.common.base.Preconditions;
import java.util.Optional;

/**
 * The token ids models see, in a fixed order that SavedModels and probes depend on: the special
 * tokens, the operators of the {@link Domain} (in its order), then its values (in value order).
 *
 * <table>
 *   <caption>Vocabulary of modulus n (ListOps, the default)</caption>
 *   <tr><th>id</th><th>token</th><th>meaning</th></tr>
 *   <tr><td>0</td><td>{@code <pad>}</td><td>padding after {@code <end>}</td></tr>
 *   <tr><td>1</td><td>{@code <end>}</td><td>end of the answer</td></tr>
 *   <tr><td>2</td><td>{@code =}</td><td>separates the expression, the chain-of-thought steps and the answer</td></tr>
 *   <tr><td>3</td><td>{@code ]}</td><td>closes a list</td></tr>
 *   <tr><td>4..10</td><td>{@code [MAX [MIN [MED [SUM [PROD [NADD [RSUM}</td><td>an operator opening its list, in {@link Operator} order</td></tr>
 *   <tr><td>11..10+n</td><td>{@code 0 .. n-1}</td><td>the numbers, one token each</td></tr>
 * </table>
 *
 * <table>
 *   <caption>Vocabulary of a group of order m permuting d points</caption>
 *   <tr><th>id</th><th>token</th><th>meaning</th></tr>
 *   <tr><td>0..3</td><td>{@code <pad> <end> = ]}</td><td>as above</td></tr>
 *   <tr><td>4..7</td><td>{@code [PMUL [PSIGN [PAT0 [PMAX}</td><td>in {@link GroupOperator} order</td></tr>
 *   <tr><td>8..7+m</td><td>{@code p012 p021 ...}</td><td>the elements in lexicographic order (S3: p012 p021 p102 p120 p201 p210)</td></tr>
 *   <tr><td>8+m..7+m+d</td><td>{@code 0 .. d-1}</td><td>the answer digits of PSIGN and PAT0</td></tr>
 * </table>
 *
 * <p>A digit vocabulary's ids below {@link #FIRST_NUMBER} are the same for every n. The instance
 * methods read ids in this vocabulary's layout and work for every domain. Expressions store these
 * ids directly ({@link Expression#tokens()}).
 */
public final class Vocabulary {
  public static final int PAD = 0;
  public static final int END = 1;
  public static final int EQUALS = 2;
  public static final int CLOSE = 3;
  public static final int FIRST_OPERATOR = 4;

  /** The first number id of a digit vocabulary. */
  public static final int FIRST_NUMBER = FIRST_OPERATOR + Operator.values().length;

  private static final String[] SPECIAL = {"<pad>", "<end>", "=", "]"};

  private final Domain domain;
  private final ListOperator[] operators;
  private final int firstValue;

  /** The ListOps vocabulary of the numbers modulo n. */
  public Vocabulary(int modulus) {
    this(Modulus.of(modulus));
  }

  public Vocabulary(Domain domain) {
    this.domain = domain;
    this.operators = domain.operators().toArray(new ListOperator[0]);
    this.firstValue = FIRST_OPERATOR + operators.length;
  }

  public Domain domain() {
    return domain;
  }

  /** The group of a group task's vocabulary; empty for digits. */
  public Optional<Group> group() {
    return domain.group();
  }

  /** The modulus of a digit vocabulary (a group vocabulary has none). */
  public int modulus() {
    Preconditions.checkState(
        domain instanceof Modulus, "the vocabulary of %s has no modulus", domain.description());
    return ((Modulus) domain).n();
  }

  /** Number of token ids: 11 + n for digits. */
  public int size() {
    return firstValue + domain.values();
  }

  /** The id of value 0: {@link #FIRST_NUMBER} for digits. */
  public int firstValue() {
    return firstValue;
  }

  /**
   * The id of a token as printed ({@code <pad>}, {@code =}, {@code [SUM}, {@code 7}, {@code p120},
   * ...).
   */
  public int id(String token) {
    for (int i = 0; i < SPECIAL.length; i++) if (SPECIAL[i].equals(token)) return i;
    if (token.startsWith("[")) {
      for (ListOperator op : operators) if (op.token().equals(token)) return id(op);
    } else {
      int value = domain.value(token);
      if (value >= 0) return valueId(value);
    }
    throw new IllegalArgumentException(
        "unknown token '"
            + token
            + "': expected <pad>, <end>, =, ], an operator token like "
            + operators[0].token()
            + " or "
            + domain.valueDescription());
  }

  /** The id of an operator of this vocabulary's domain. */
  public int id(ListOperator op) {
    if (op.ordinal() >= operators.length || operators[op.ordinal()] != op) {
      throw new IllegalArgumentException(
          op.name() + " is not an operator of " + domain.description());
    }
    return FIRST_OPERATOR + op.ordinal();
  }

  /** The printed token of an id. */
  public String token(int id) {
    Preconditions.checkArgument(
        id >= 0 && id < size(), "token id must be in 0..%s, got %s", size() - 1, id);
    if (id < FIRST_OPERATOR) return SPECIAL[id];
    if (id < firstValue) return operators[id - FIRST_OPERATOR].token();
    return domain.token(id - firstValue);
  }

  /** The id of a number in 0..n-1 (of any value of the domain). */
  public int numberId(int value) {
    return valueId(value);
  }

  /** The id of a value of the domain. */
  public int valueId(int value) {
    if (value < 0 || value >= domain.values()) {
      throw new IllegalArgumentException(
          "value must be in 0.."
              + (domain.values() - 1)
              + " ("
              + domain.description()
              + "), got "
              + value);
    }
    return firstValue + value;
  }

  /** Whether an id of this vocabulary opens a list. */
  public boolean isOperatorId(int id) {
    return id >= FIRST_OPERATOR && id < firstValue;
  }

  /** Whether an id of this vocabulary is a value. */
  public boolean isValueId(int id) {
    return id >= firstValue;
  }

  /** The operator of an operator id (no range check: hot path). */
  public ListOperator operator(int id) {
    return operators[id - FIRST_OPERATOR];
  }

  /** The value of a value id (no range check: hot path). */
  public int value(int id) {
    return id - firstValue;
  }

  /** The id of a digit operator in a digit vocabulary. */
  // Token ids follow Operator's declaration order by design; datasets and models depend on it.
  @SuppressWarnings("EnumOrdinal")
  public static int operatorId(Operator op) {
    return FIRST_OPERATOR + op.ordinal();
  }

  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof Vocabulary v && v.domain.equals(domain));
  }

  @Override
  public int hashCode() {
    return domain.hashCode();
  }
}
