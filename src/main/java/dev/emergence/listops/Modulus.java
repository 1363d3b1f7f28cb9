package dev.emergence.listops;

import com.google.common.base.Preconditions;
import java.util.Arrays;
import java.util.Random;

/**
 * The modulus n of a ListOps task (operands and answers are 0..n-1) together with the fixed RSUM
 * permutation for that n. The permutation is a Fisher-Yates shuffle driven by {@code java.util.Random}
 * (whose algorithm the JDK specifies) seeded with {@link #RSUM_SEED} + n, redrawn while it is the
 * identity, so it is the same in every run and on every JVM.
 */
public final class Modulus {
  /** Seed of the RSUM permutation; changing it changes the RSUM task. */
  public static final long RSUM_SEED = 0x5253_554DL; // "RSUM"
  /** Largest supported modulus: every number is one token. */
  public static final int MAX_N = 100_000;
  /** The default modulus of the study. */
  public static final int DEFAULT_N = 10;

  private final int n;
  private final int[] rsum;

  private Modulus(int n) {
    Preconditions.checkArgument(
        n >= 2 && n <= MAX_N, "modulus must be in 2..%s, got %s", MAX_N, n);
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
