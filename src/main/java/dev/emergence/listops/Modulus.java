package dev.emergence.listops;

import com.google.common.base.Preconditions;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The modulus n of a ListOps task (operands and answers are 0..n-1, the {@link Domain} of the digit
 * {@link Operator}s, each number one token) together with the fixed RSUM permutation for that n.
 * The permutation is a Fisher-Yates shuffle driven by {@code java.util.Random} (whose algorithm the
 * JDK specifies) seeded with {@link #RSUM_SEED} + n, redrawn while it is the identity, so it is the
 * same in every run and on every JVM.
 */
public final class Modulus implements Domain {
  /** Seed of the RSUM permutation; changing it changes the RSUM task. */
  public static final long RSUM_SEED = 0x5253_554DL; // "RSUM"

  /** Largest supported modulus: every number is one token. */
  public static final int MAX_N = 100_000;

  /** The default modulus of the study. */
  public static final int DEFAULT_N = 10;

  private static final List<Operator> OPERATORS = List.of(Operator.values());

  private final int n;
  private final int[] rsum;

  private Modulus(int n) {
    Preconditions.checkArgument(n >= 2 && n <= MAX_N, "modulus must be in 2..%s, got %s", MAX_N, n);
    this.n = n;
    this.rsum = permutation(n);
  }

  public static Modulus of(int n) {
    return new Modulus(n);
  }

  public int n() {
    return n;
  }

  /** p(value): the RSUM permutation applied to a value in 0..n-1. */
  public int rsum(int value) {
    return rsum[value];
  }

  /** The whole RSUM table: entry v is p(v). */
  public int[] rsumTable() {
    return rsum.clone();
  }

  @Override
  public List<Operator> operators() {
    return OPERATORS;
  }

  /** n: every number is a leaf. */
  @Override
  public int leaves() {
    return n;
  }

  /** n: the answers are numbers too. */
  @Override
  public int values() {
    return n;
  }

  @Override
  public String token(int value) {
    return Integer.toString(value);
  }

  @Override
  public int value(String token) {
    if (token.isEmpty() || token.length() > 6 || !token.chars().allMatch(c -> c >= '0' && c <= '9'))
      return -1;
    int value = Integer.parseInt(token);
    return value < n ? value : -1;
  }

  @Override
  public boolean startsLeaf(char c) {
    return c >= '0' && c <= '9';
  }

  @Override
  public int leaf(String text, int start, int end) {
    long value = 0;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9')
        throw new ListOpsSyntaxException("unexpected character '" + c + "' in a number", i);
      value = Math.min(value * 10 + (c - '0'), Integer.MAX_VALUE);
    }
    if (value >= n) {
      throw new ListOpsSyntaxException(
          "number "
              + text.substring(start, end)
              + " out of range 0.."
              + (n - 1)
              + " (modulus "
              + n
              + ")",
          start);
    }
    return (int) value;
  }

  @Override
  public String leafDescription() {
    return "a number";
  }

  @Override
  public String valueDescription() {
    return "a number 0.." + (n - 1);
  }

  @Override
  public String description() {
    return "numbers modulo " + n;
  }

  @Override
  public int apply(ListOperator op, int[] values, int from, int to) {
    if (!(op instanceof Operator digit)) {
      throw new IllegalArgumentException(op.name() + " is not an operator of " + description());
    }
    return digit.apply(values, from, to, this);
  }

  private static int[] permutation(int n) {
    Random random = new Random(RSUM_SEED + n);
    int[] p = new int[n];
    do {
      for (int i = 0; i < n; i++) p[i] = i;
      for (int i = n - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = p[i];
        p[i] = p[j];
        p[j] = t;
      }
    } while (isIdentity(p));
    return p;
  }

  private static boolean isIdentity(int[] p) {
    for (int i = 0; i < p.length; i++) if (p[i] != i) return false;
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Modulus m && m.n == n;
  }

  @Override
  public int hashCode() {
    return n;
  }

  @Override
  public String toString() {
    return "Modulus[n=" + n + ", rsum=" + Arrays.toString(rsum) + "]";
  }
}
