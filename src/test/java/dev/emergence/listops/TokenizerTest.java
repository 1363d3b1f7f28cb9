package dev.emergence.listops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

class TokenizerTest {
  private final Tokenizer tokenizer = new Tokenizer(10);

  private static Split split(String... texts) {
    Evaluator evaluator = new Evaluator(Modulus.of(10));
    Split.Builder b = Split.builder("test", texts.length);
    for (String t : texts) {
      Expression e = Expression.parse(t, 10);
      b.add(new Example(e, evaluator.evaluate(e)));
    }
    return b.build();
  }

  @Test
  void batchLayoutMaskAndPositions() {
    Split s = split("[SUM 1 [MAX 2 3 ] ]", "[MIN 4 7 ]");
    EncodedBatch batch = tokenizer.encode(s, 0, 2, 12, false);
    assertEquals("[SUM 1 [MAX 2 3 ] ] = 4 <end>", tokenizer.decode(row(batch, 0)));
    assertEquals("[MIN 4 7 ] = 4 <end>", tokenizer.decode(row(batch, 1)));
    assertArrayEquals(new int[] {7, 12, 4, 13, 14, 3, 3, 2, 15, 1, 0, 0}, row(batch, 0));
    assertArrayEquals(new int[] {7, 4}, batch.equalsPositions());
    assertArrayEquals(new int[] {4, 4}, batch.answers());
    // mask[t] = 1 when token t+1 is an answer token: the answer number (after '=') and <end>
    assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0}, maskRow(batch, 0));
    assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0}, maskRow(batch, 1));
  }

  @Test
  void chainOfThoughtSequenceMasksEveryStep() {
    Split s = split("[SUM 1 [MAX 2 3 ] ]");
    assertEquals(15, tokenizer.maxSequenceLength(s, true));
    EncodedBatch batch = tokenizer.encode(s, new int[] {0}, 16, true);
    assertEquals("[SUM 1 [MAX 2 3 ] ] = [SUM 1 3 ] = 4 <end>", tokenizer.decode(batch.ids()));
    assertEquals(7, batch.equalsPositions()[0]);
    float[] expected = new float[16];
    for (int t = 7; t < 14; t++) expected[t] = 1; // targets: [SUM 1 3 ] = 4 <end>
    assertArrayEquals(expected, batch.lossMask());
  }

  @Test
  void rejectsABatchLengthThatDoesNotFit() {
    Split s = split("[SUM 1 [MAX 2 3 ] ]");
    assertEquals(10, tokenizer.maxSequenceLength(s, false));
    assertThrows(IllegalArgumentException.class, () -> tokenizer.encode(s, 0, 1, 9, false));
    assertThrows(IllegalArgumentException.class, () -> tokenizer.encode(s, 0, 1, 14, true));
  }

  @Test
  void encodeAndDecodeText() {
    int[] ids = tokenizer.encode("[MAX 2 9 [MIN 4 7 ] 0 ] = 9 <end>");
    assertEquals("[MAX 2 9 [MIN 4 7 ] 0 ] = 9 <end>", tokenizer.decode(ids));
    Expression e = Expression.parse("[MAX 2 9 [MIN 4 7 ] 0 ]", 10);
    assertArrayEquals(ids, tokenizer.sequence(e, 9, false));
    assertThrows(IllegalArgumentException.class, () -> tokenizer.encode("[MAX 2 10 ]"));
  }

  @Test
  void tensorsHaveTheBatchShape() {
    Split s = split("[SUM 1 2 ]", "[MAX 3 4 ]", "[MED 5 6 7 ]");
    EncodedBatch batch = tokenizer.encode(s, 0, 3, 8, false);
    try (TInt32 ids = batch.idsTensor();
        TFloat32 mask = batch.lossMaskTensor()) {
      assertEquals(Shape.of(3, 8), ids.shape());
      assertEquals(Shape.of(3, 8), mask.shape());
      assertEquals(Vocabulary.operatorId(Operator.MED), ids.getInt(2, 0));
      assertEquals(Vocabulary.FIRST_NUMBER + 6, ids.getInt(2, 6));
      assertEquals(1f, mask.getFloat(2, 5));
      assertEquals(0f, mask.getFloat(2, 7));
    }
  }

  @Test
  void vocabularyIsConsistentWithTheOperatorEnum() {
    assertEquals(List.of(Operator.values()).size() + 4, Vocabulary.FIRST_NUMBER);
  }

  private static int[] row(EncodedBatch batch, int r) {
    int[] out = new int[batch.length()];
    System.arraycopy(batch.ids(), r * batch.length(), out, 0, batch.length());
    return out;
  }

  private static float[] maskRow(EncodedBatch batch, int r) {
    float[] out = new float[batch.length()];
    System.arraycopy(batch.lossMask(), r * batch.length(), out, 0, batch.length());
    return out;
  }
}
