package dev.emergence.listops;

import com.google.common.base.Preconditions;

/**
 * The token ids models see, in a fixed order that SavedModels and probes depend on:
 *
 * <table>
 *   <caption>Vocabulary of modulus n</caption>
 *   <tr><th>id</th><th>token</th><th>meaning</th></tr>
 *   <tr><td>0</td><td>{@code <pad>}</td><td>padding after {@code <end>}</td></tr>
 *   <tr><td>1</td><td>{@code <end>}</td><td>end of the answer</td></tr>
 *   <tr><td>2</td><td>{@code =}</td><td>separates the expression, the chain-of-thought steps and the answer</td></tr>
 *   <tr><td>3</td><td>{@code ]}</td><td>closes a list</td></tr>
 *   <tr><td>4..10</td><td>{@code [MAX [MIN [MED [SUM [PROD [NADD [RSUM}</td><td>an operator opening its list, in {@link Operator} order</td></tr>
 *   <tr><td>11..10+n</td><td>{@code 0 .. n-1}</td><td>the numbers, one token each</td></tr>
 * </table>
 *
 * <p>Only the number range depends on the modulus; ids below {@link #FIRST_NUMBER} are the same for
 * every n. Expressions store these ids directly ({@link Expression#tokens()}).
 */
public final class Vocabulary {
  public static final int PAD = 0;
  public static final int END = 1;
  public static final int EQUALS = 2;
  public static final int CLOSE = 3;
  public static final int FIRST_OPERATOR = 4;
  public static final int FIRST_NUMBER = FIRST_OPERATOR + Operator.values().length;

  private static final String[] SPECIAL = {"<pad>", "<end>", "=", "]"};
  private static final Operator[] OPERATORS = Operator.values();

  private final int modulus;

  public Vocabulary(int modulus) {
    Preconditions.checkArgument(
        modulus >= 2 && modulus <= Modulus.MAX_N,
        "modulus must be in 2..%s, got %s", Modulus.MAX_N, modulus);
    this.modulus = modulus;
  }

  public int modulus() {
    return modulus;
  }

  /** Number of token ids: 11 + n. */
  public int size() {
    return FIRST_NUMBER + modulus;
  }

  /** The id of a token as printed ({@code <pad>}, {@code =}, {@code [SUM}, {@code 7}, ...). */
  public int id(String token) {
    for (int i = 0; i < SPECIAL.length; i++) if (SPECIAL[i].equals(token)) return i;
    if (token.startsWith("[")) {
      for (Operator op : OPERATORS) if (op.token().equals(token)) return operatorId(op);
    } else if (!token.isEmpty() && token.length() <= 6 && token.chars().allMatch(Character::isDigit)) {
      return numberId(Integer.parseInt(token));
    }
    throw new IllegalArgumentException(
        "unknown token '" + token + "': expected <pad>, <end>, =, ], an operator token like [SUM, or a number 0.."
            + (modulus - 1));
  }

  /** The printed token of an id. */
  public String token(int id) {
    Preconditions.checkArgument(id >= 0 && id < size(), "token id must be in 0..%s, got %s", size() - 1, id);
    if (id < FIRST_OPERATOR) return SPECIAL[id];
    if (id < FIRST_NUMBER) return OPERATORS[id - FIRST_OPERATOR].token();
    return Integer.toString(id - FIRST_NUMBER);
  }

  /** The id of a number in 0..n-1. */
  public int numberId(int value) {
    Preconditions.checkArgument(
        value >= 0 && value < modulus, "number must be in 0..%s (modulus %s), got %s", modulus - 1, modulus, value);
    return FIRST_NUMBER + value;
  }

  public static int operatorId(Operator op) {
    return FIRST_OPERATOR + op.ordinal();
  }

  public static boolean isNumber(int id) {
    return id >= FIRST_NUMBER;
  }

  public static boolean isOperator(int id) {
    return id >= FIRST_OPERATOR && id < FIRST_NUMBER;
  }

  /** The value of a number id (no range check: hot path). */
  public static int valueOf(int id) {
    return id - FIRST_NUMBER;
  }

  /** The operator of an operator id (no range check: hot path). */
  public static Operator operatorOf(int id) {
    return OPERATORS[id - FIRST_OPERATOR];
  }
}
