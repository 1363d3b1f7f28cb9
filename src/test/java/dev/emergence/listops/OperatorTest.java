package dev.emergence.listops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every operator against hand-checked values, at moduli 7 and 10. */
class OperatorTest {
  private static final Modulus TEN = Modulus.of(10);
  private static final Modulus SEVEN = Modulus.of(7);

  private static int apply(Operator op, Modulus m, int... values) {
    return op.apply(values.clone(), 0, values.length, m);
  }

  @Test
  void maxAndMin() {
    assertEquals(9, apply(Operator.MAX, TEN, 2, 9, 4, 0));
    assertEquals(0, apply(Operator.MIN, TEN, 2, 9, 4, 0));
    assertEquals(5, apply(Operator.MAX, TEN, 5));
    assertEquals(3, apply(Operator.MIN, SEVEN, 6, 3, 3));
  }

  @Test
  void medianOddLength() {
    assertEquals(4, apply(Operator.MED, TEN, 9, 1, 4));
    assertEquals(2, apply(Operator.MED, TEN, 2, 2, 8));
    assertEquals(5, apply(Operator.MED, TEN, 0, 9, 5, 7, 1));
    assertEquals(3, apply(Operator.MED, SEVEN, 6, 0, 3));
  }

  @Test
  void medianEvenLengthIsFloorOfMeanOfMiddleValues() {
    assertEquals(5, apply(Operator.MED, TEN, 4, 6)); // (4+6)/2 = 5
    assertEquals(3, apply(Operator.MED, TEN, 3, 4)); // 3.5 -> 3
    assertEquals(4, apply(Operator.MED, TEN, 9, 1, 7, 2)); // middle 2, 7 -> 4.5 -> 4
    assertEquals(0, apply(Operator.MED, TEN, 0, 1)); // 0.5 -> 0
    assertEquals(5, apply(Operator.MED, SEVEN, 6, 5, 5, 0)); // middle 5, 5
  }

  @Test
  void sumModulo() {
    assertEquals(3, apply(Operator.SUM, TEN, 9, 4)); // 13
    assertEquals(0, apply(Operator.SUM, TEN, 5, 5));
    assertEquals(7, apply(Operator.SUM, TEN, 1, 2, 4));
    assertEquals(6, apply(Operator.SUM, SEVEN, 4, 2, 0)); // 6
    assertEquals(1, apply(Operator.SUM, SEVEN, 6, 2)); // 8 mod 7
    assertEquals(4, apply(Operator.SUM, SEVEN, 6, 6, 6)); // 18 mod 7
  }

  @Test
  void prodModulo() {
    assertEquals(2, apply(Operator.PROD, TEN, 3, 4)); // 12
    assertEquals(0, apply(Operator.PROD, TEN, 5, 2, 9));
    assertEquals(9, apply(Operator.PROD, TEN, 9));
    assertEquals(6, apply(Operator.PROD, SEVEN, 2, 3)); // 6
    assertEquals(1, apply(Operator.PROD, SEVEN, 3, 5)); // 15 mod 7
    assertEquals(6, apply(Operator.PROD, SEVEN, 6, 6, 6)); // 216 = 30*7 + 6
  }

  @Test
  void naddAlternatesSignsAndWrapsNegativeResults() {
    assertEquals(3, apply(Operator.NADD, TEN, 5, 2)); // 5 - 2
    assertEquals(7, apply(Operator.NADD, TEN, 2, 5)); // -3 mod 10
    assertEquals(7, apply(Operator.NADD, TEN, 9, 4, 2)); // 9 - 4 + 2
    assertEquals(1, apply(Operator.NADD, TEN, 1, 9, 9)); // 1 - 9 + 9
    assertEquals(4, apply(Operator.NADD, TEN, 0, 9, 3)); // -6 mod 10
    assertEquals(4, apply(Operator.NADD, SEVEN, 1, 4)); // -3 mod 7
    assertEquals(2, apply(Operator.NADD, SEVEN, 6, 1, 4)); // 9 mod 7
    assertEquals(1, apply(Operator.NADD, SEVEN, 0, 6, 0)); // -6 mod 7
  }

  @Test
  void rsumIsTheFixedPermutationOfSum() {
    // Pinned: SavedModels trained on RSUM depend on this table staying the same.
    assertArrayEquals(new int[] {3, 5, 2, 1, 4, 9, 7, 6, 0, 8}, TEN.rsumTable());
    assertArrayEquals(new int[] {3, 1, 2, 6, 0, 5, 4}, SEVEN.rsumTable());
    assertEquals(TEN.rsum(3), apply(Operator.RSUM, TEN, 9, 4)); // p(13 mod 10)
    assertEquals(SEVEN.rsum(1), apply(Operator.RSUM, SEVEN, 6, 2));
    for (int a = 0; a < 10; a++) {
      for (int b = 0; b < 10; b++) {
        assertEquals(TEN.rsum(apply(Operator.SUM, TEN, a, b)), apply(Operator.RSUM, TEN, a, b));
      }
    }
  }

  @Test
  void rsumTableIsANonIdentityPermutationForEveryModulus() {
    for (int n = 2; n <= 200; n++) {
      int[] table = Modulus.of(n).rsumTable();
      int[] sorted = table.clone();
      Arrays.sort(sorted);
      int[] identity = new int[n];
      Arrays.setAll(identity, i -> i);
      assertArrayEquals(identity, sorted, "RSUM table for n=" + n + " is not a permutation");
      assertNotEquals(Arrays.toString(identity), Arrays.toString(table), "identity for n=" + n);
      assertArrayEquals(table, Modulus.of(n).rsumTable(), "not deterministic for n=" + n);
    }
  }

  @Test
  void namedRejectsUnknownOperatorsListingTheKnownOnes() {
    assertEquals(Operator.NADD, Operator.named("NADD"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Operator.named("AVG"));
    assertEquals(
        "unknown operator 'AVG' (known: MAX, MIN, MED, SUM, PROD, NADD, RSUM)", e.getMessage());
  }
}
