package dev.emergence.listops;

/**
 * The operators of group tasks ({@link Group}). The hard one is the product {@link #PMUL}; its easy
 * partners share a homomorphism with it ({@link #PSIGN}), part of its computation ({@link #PAT0}),
 * or nothing ({@link #PMAX}). The declaration order fixes their token ids in a group {@link
 * Vocabulary} (ids 4, 5, ...): add an operator at the END.
 *
 * <p>PSIGN and PAT0 answer a digit, not an element, so they are not {@link #nestable()}: they stand
 * only at the root and their inner lists are products, {@code [PSIGN a [PMUL b c ] ]} being the
 * sign of a·b·c. PMUL and PMAX nest like the ListOps operators.
 */
public enum GroupOperator implements ListOperator {
  /** The product, applied left to right: {@code [PMUL a b c ]} sends i to c(b(a(i))). */
  PMUL(true) {
    @Override
    public int apply(int[] values, int from, int to, Group group) {
      return product(values, from, to, group);
    }
  },
  /** The sign of the product: answer digit 0 when it is even, 1 when it is odd. */
  PSIGN(false) {
    @Override
    public int apply(int[] values, int from, int to, Group group) {
      return group.digit(group.sign(product(values, from, to, group)));
    }
  },
  /** Where the product sends point 0: an answer digit. */
  PAT0(false) {
    @Override
    public int apply(int[] values, int from, int to, Group group) {
      return group.digit(group.image(product(values, from, to, group), 0));
    }
  },
  /**
   * The largest argument in lexicographic order of the one-line notation (the largest element
   * number).
   */
  PMAX(true) {
    @Override
    public int apply(int[] values, int from, int to, Group group) {
      int max = values[from];
      for (int i = from + 1; i < to; i++) max = Math.max(max, values[i]);
      return max;
    }
  };

  private final String token = "[" + name();
  private final boolean nestable;

  GroupOperator(boolean nestable) {
    this.nestable = nestable;
  }

  /** The value of this operator on the elements {@code values[from..to)} (at least one). */
  public abstract int apply(int[] values, int from, int to, Group group);

  @Override
  public String token() {
    return token;
  }

  /** False for PSIGN and PAT0, which answer a digit. */
  @Override
  public boolean nestable() {
    return nestable;
  }

  /** Itself, or PMUL below PSIGN and PAT0. */
  @Override
  public ListOperator inner() {
    return nestable ? this : PMUL;
  }

  private static int product(int[] values, int from, int to, Group group) {
    int product = values[from];
    for (int i = from + 1; i < to; i++) product = group.multiply(product, values[i]);
    return product;
  }
}
