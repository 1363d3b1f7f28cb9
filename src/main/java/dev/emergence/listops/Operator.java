package dev.emergence.listops;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The ListOps operators, the operators of the digit domain ({@link Modulus}). Each applies to a
 * list of values in {@code 0..n-1} and returns a value in the same range. The declaration order
 * fixes the operator token ids of {@link Vocabulary} (ids 4, 5, ...): add a new operator by adding
 * a constant at the END and implementing {@link #apply}; the number ids then shift up by one, so
 * vocabularies of older SavedModels stay valid only for the old operator set. Group tasks have
 * their own operators ({@link GroupOperator}).
 */
public enum Operator implements ListOperator {
  /** The largest argument. */
  MAX {
    @Override
    public int apply(int[] values, int from, int to, Modulus modulus) {
      int max = values[from];
      for (int i = from + 1; i < to; i++) max = Math.max(max, values[i]);
      return max;
    }
  },
  /** The smallest argument. */
  MIN {
    @Override
    public int apply(int[] values, int from, int to, Modulus modulus) {
      int min = values[from];
      for (int i = from + 1; i < to; i++) min = Math.min(min, values[i]);
      return min;
    }
  },
  /** The median; of an even-length list, the floor of the mean of the two middle values. */
  MED {
    @Override
    public int apply(int[] values, int from, int to, Modulus modulus) {
      Arrays.sort(values, from, to);
      int k = to - from;
      int mid = from + k / 2;
      return k % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
  },
  /** The sum modulo n. */
  SUM {
    @Override
    public int apply(int[] values, int from, int to, Modulus modulus) {
      return sum(values, from, to, modulus.n());
    }
  },
  /** The product modulo n. */
  PROD {
    @Override
    public int apply(int[] values, int from, int to, Modulus modulus) {
      long n = modulus.n();
      long product = 1 % n;
      for (int i = from; i < to; i++) product = product * values[i] % n;
      return (int) product;
    }
  },
  /** The alternating sum a1 - a2 + a3 - ... modulo n (result in 0..n-1). */
  NADD {
    @Override
    public int apply(int[] values, int from, int to, Modulus modulus) {
      long total = 0;
      for (int i = from; i < to; i++) total += ((i - from) & 1) == 0 ? values[i] : -values[i];
      return (int) Math.floorMod(total, (long) modulus.n());
    }
  },
  /** The control: p(SUM) for the fixed permutation p of {@link Modulus#rsum}. */
  RSUM {
    @Override
    public int apply(int[] values, int from, int to, Modulus modulus) {
      return modulus.rsum(sum(values, from, to, modulus.n()));
    }
  };

  private final String token = "[" + name();

  /**
   * The value of this operator on {@code values[from..to)} (at least one value, each in 0..n-1).
   * May reorder that slice (MED sorts it in place): callers pass scratch storage.
   */
  public abstract int apply(int[] values, int from, int to, Modulus modulus);

  /** The opening token, e.g. {@code [MAX}. */
  @Override
  public String token() {
    return token;
  }

  /** The operator called {@code name} (exact, upper case). */
  public static Operator named(String name) {
    for (Operator op : values()) {
      if (op.name().equals(name)) return op;
    }
    throw new IllegalArgumentException("unknown operator '" + name + "' (known: " + known() + ")");
  }

  /** The known operator names, comma separated, in vocabulary order. */
  public static String known() {
    return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
  }

  private static int sum(int[] values, int from, int to, int n) {
    long total = 0;
    for (int i = from; i < to; i++) total += values[i];
    return (int) (total % n);
  }
}
