package dev.emergence.listops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The multiplication tables of S3, S4 and Z6 against the group axioms and the permutations
 * themselves.
 */
class GroupTest {
  @ParameterizedTest
  @ValueSource(strings = {"S3", "S4", "Z6"})
  void theTableSatisfiesTheGroupAxioms(String name) {
    Group g = Group.named(name);
    int n = g.order();
    int e = g.identity();
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        int ab = g.multiply(a, b);
        assertTrue(ab >= 0 && ab < n, "closure");
        for (int c = 0; c < n; c++)
          assertEquals(g.multiply(ab, c), g.multiply(a, g.multiply(b, c)), "associativity");
      }
      assertEquals(a, g.multiply(e, a), "left identity");
      assertEquals(a, g.multiply(a, e), "right identity");
      assertEquals(e, g.multiply(a, g.inverse(a)), "right inverse");
      assertEquals(e, g.multiply(g.inverse(a), a), "left inverse");
    }
    int[] identity = new int[g.degree()];
    java.util.Arrays.setAll(identity, i -> i);
    assertArrayEquals(identity, g.permutation(e));
  }

  @ParameterizedTest
  @ValueSource(strings = {"S3", "S4", "Z6"})
  void theProductAppliesLeftToRight(String name) {
    Group g = Group.named(name);
    for (int a = 0; a < g.order(); a++) {
      for (int b = 0; b < g.order(); b++) {
        int[] ab = g.permutation(g.multiply(a, b));
        for (int i = 0; i < g.degree(); i++)
          assertEquals(g.image(b, g.image(a, i)), ab[i], "first a, then b");
      }
    }
  }

  @Test
  void symmetricGroupsAreNotAbelianAndZ6Is() {
    assertFalse(abelian(Group.S3));
    assertFalse(abelian(Group.S4));
    assertTrue(abelian(Group.Z6));
  }

  @Test
  void elementsAreAllPermutationsInLexicographicOrder() {
    assertEquals(6, Group.S3.order());
    assertEquals(24, Group.S4.order());
    assertEquals(6, Group.Z6.order());
    assertEquals(List.of("p012", "p021", "p102", "p120", "p201", "p210"), names(Group.S3));
    assertEquals(
        List.of("p012345", "p123450", "p234501", "p345012", "p450123", "p501234"), names(Group.Z6));
    List<String> s4 = names(Group.S4);
    List<String> sorted = new ArrayList<>(s4);
    sorted.sort(String::compareTo);
    assertEquals(sorted, s4);
    assertEquals(24, s4.stream().distinct().count());
    assertEquals("p3210", s4.get(23));
  }

  @Test
  void z6ElementKIsTheRotationByK() {
    Group z6 = Group.Z6;
    for (int k = 0; k < 6; k++) {
      for (int i = 0; i < 6; i++) assertEquals((i + k) % 6, z6.image(k, i));
      for (int j = 0; j < 6; j++) assertEquals((k + j) % 6, z6.multiply(k, j));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"S3", "S4", "Z6"})
  void signIsAHomomorphismCountedAsInCycles(String name) {
    Group g = Group.named(name);
    int odd = 0;
    for (int a = 0; a < g.order(); a++) {
      assertEquals(cycleParity(g.permutation(a)), g.sign(a));
      odd += g.sign(a);
      for (int b = 0; b < g.order(); b++)
        assertEquals(g.sign(a) ^ g.sign(b), g.sign(g.multiply(a, b)));
    }
    assertEquals(g.order() / 2, odd, "half the elements are odd (S_n; Z6 holds a 6-cycle)");
  }

  @Test
  void cycleTypesAreTheConjugacyClasses() {
    assertEquals("1+1+1", Group.S3.cycleType(Group.S3.identity()));
    assertEquals("3", Group.S3.cycleType(Group.S3.value("p120")));
    assertEquals("2+1", Group.S3.cycleType(Group.S3.value("p021")));
    Map<String, Long> s4 =
        java.util.stream.IntStream.range(0, 24)
            .mapToObj(Group.S4::cycleType)
            .collect(Collectors.groupingBy(t -> t, java.util.TreeMap::new, Collectors.counting()));
    assertEquals(Map.of("1+1+1+1", 1L, "2+1+1", 6L, "2+2", 3L, "3+1", 8L, "4", 6L), s4);
    for (int a = 0; a < 24; a++) {
      for (int b = 0; b < 24; b++) {
        int conjugate = Group.S4.multiply(Group.S4.inverse(b), Group.S4.multiply(a, b));
        assertEquals(Group.S4.cycleType(a), Group.S4.cycleType(conjugate));
      }
    }
    assertEquals("6", Group.Z6.cycleType(1));
    assertEquals("3+3", Group.Z6.cycleType(2));
  }

  @Test
  void valuesAreTheElementsThenTheAnswerDigits() {
    Group s3 = Group.S3;
    assertEquals(6, s3.leaves());
    assertEquals(9, s3.values());
    assertEquals("p120", s3.token(3));
    assertEquals("0", s3.token(6));
    assertEquals("2", s3.token(8));
    assertEquals(3, s3.value("p120"));
    assertEquals(7, s3.value("1"));
    assertEquals(-1, s3.value("3"));
    assertEquals(-1, s3.value("p1230"));
    assertEquals(Optional.of(s3), s3.group());
    assertEquals(Optional.empty(), Modulus.of(10).group());
  }

  @Test
  void registryKnowsTheThreeGroupsInAnyCase() {
    assertSame(Group.S3, Group.named("S3"));
    assertSame(Group.S4, Group.named("s4"));
    assertSame(Group.Z6, Group.named("z6"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Group.named("S5"));
    assertEquals("unknown group 'S5' (known: S3, S4, Z6)", e.getMessage());
  }

  private static boolean abelian(Group g) {
    for (int a = 0; a < g.order(); a++) {
      for (int b = 0; b < g.order(); b++) if (g.multiply(a, b) != g.multiply(b, a)) return false;
    }
    return true;
  }

  private static List<String> names(Group g) {
    List<String> out = new ArrayList<>();
    for (int a = 0; a < g.order(); a++) out.add(g.token(a));
    return out;
  }

  /** (points - cycles) mod 2: another way to the parity than counting inversions. */
  static int cycleParity(int[] p) {
    boolean[] seen = new boolean[p.length];
    int cycles = 0;
    for (int i = 0; i < p.length; i++) {
      if (seen[i]) continue;
      cycles++;
      for (int j = i; !seen[j]; j = p[j]) seen[j] = true;
    }
    return (p.length - cycles) % 2;
  }
}
