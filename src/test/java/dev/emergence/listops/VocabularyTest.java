package dev.emergence.listops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class VocabularyTest {
  @Test
  void fixedOrderOfTheDocumentedTable() {
    Vocabulary v = new Vocabulary(10);
    assertEquals(21, v.size());
    String[] expected = {
      "<pad>", "<end>", "=", "]", "[MAX", "[MIN", "[MED", "[SUM", "[PROD", "[NADD", "[RSUM", "0",
      "1", "2", "3", "4", "5", "6", "7", "8", "9"
    };
    for (int id = 0; id < expected.length; id++) {
      assertEquals(expected[id], v.token(id));
      assertEquals(id, v.id(expected[id]));
    }
    assertEquals(0, Vocabulary.PAD);
    assertEquals(1, Vocabulary.END);
    assertEquals(2, Vocabulary.EQUALS);
    assertEquals(3, Vocabulary.CLOSE);
    assertEquals(11, v.numberId(0));
    assertEquals(20, v.numberId(9));
  }

  @Test
  void largerModulusAddsNumberTokensOnly() {
    Vocabulary v = new Vocabulary(113);
    assertEquals(124, v.size());
    assertEquals(v.numberId(112), v.id("112"));
    assertEquals("112", v.token(123));
    assertEquals(7, v.id("[SUM"));
  }

  @Test
  void rejectsOutOfRange() {
    Vocabulary v = new Vocabulary(10);
    assertThrows(IllegalArgumentException.class, () -> v.numberId(10));
    assertThrows(IllegalArgumentException.class, () -> v.id("10"));
    assertThrows(IllegalArgumentException.class, () -> v.id("[AVG"));
    assertThrows(IllegalArgumentException.class, () -> v.token(21));
    assertThrows(IllegalArgumentException.class, () -> new Vocabulary(1));
  }
}
