package dev.emergence.listops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParserTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "[MAX 2 9 [MIN 4 7 ] 0 ]",
        "[SUM 1 [MAX 2 3 ] ]",
        "[MED [NADD 1 2 3 ] [PROD 4 5 ] [RSUM 6 7 ] ]",
        "[MIN 5 ]",
        "7"
      })
  void printingAParsedExpressionGivesTheSameTextBack(String text) {
    assertEquals(text, Expression.parse(text, 10).toString());
  }

  @Test
  void generatedExpressionsRoundTripThroughText() {
    GeneratorConfig config =
        GeneratorConfig.defaults(Mix.parse("MAX,MIN,MED,SUM,PROD,NADD,RSUM")).withModulus(13);
    Generator generator = new Generator(config);
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 2000; i++) {
      Expression e = generator.next(random).expression();
      assertEquals(e, Expression.parse(e.toString(), 13));
    }
  }

  @Test
  void acceptsLooseSpacingAndPrintsCanonically() {
    assertEquals(
        "[MAX 2 9 [MIN 4 7 ] 0 ]", Expression.parse("  [MAX 2 9[MIN 4 7]0]\n", 10).toString());
  }

  @Test
  void numbersAreOneTokenForLargerModuli() {
    Expression e = Expression.parse("[SUM 96 [MAX 12 100 ] ]", 113);
    assertEquals(7, e.length()); // [SUM 96 [MAX 12 100 ] ]
    assertEquals("[SUM 96 [MAX 12 100 ] ]", e.toString());
  }

  @ParameterizedTest(name = "{0} -> {1} @ {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "[MAX 2 9 [MIN 4 7 ] 0     | unbalanced brackets  | 21",
        "[MAX 2 3 ] ]              | trailing text        | 11",
        "[SUM 1 2 ] 3              | trailing text        | 11",
        "]                         | unbalanced ']'       | 0",
        "[MAX 2 [MIN 3 ] ] ]       | trailing text        | 18",
        "[FOO 1 2 ]                | unknown operator 'FOO' | 1",
        "[max 1 2 ]                | unknown operator 'max' | 1",
        "[SUM 1 10 ]               | number 10 out of range 0..9 | 7",
        "[SUM 1 99999999999999 ]   | out of range         | 7",
        "[SUM ]                    | empty list           | 5",
        "[MAX 1 [MIN ] ]           | empty list           | 12",
        "[ SUM 1 2 ]               | expected an operator name | 0",
        "[SUM 1 -2 ]               | unexpected character '-' | 7",
        "[SUM 1 2a ]               | unexpected character 'a' | 8",
        "(SUM 1 2)                 | unexpected character '(' | 0",
        "3 4                       | trailing text        | 2",
      })
  void malformedInputIsRejectedWithTheProblemAndItsPosition(
      String text, String problem, int position) {
    ListOpsSyntaxException e =
        assertThrows(ListOpsSyntaxException.class, () -> Expression.parse(text, 10));
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertEquals(position, e.position(), e.getMessage());
    assertTrue(e.getMessage().endsWith("at position " + position), e.getMessage());
    assertEquals(-1, e.getMessage().indexOf('\n'));
  }

  @Test
  void emptyAndBlankInputAreRejected() {
    assertThrows(ListOpsSyntaxException.class, () -> Expression.parse("", 10));
    ListOpsSyntaxException e =
        assertThrows(ListOpsSyntaxException.class, () -> Expression.parse("   ", 10));
    assertTrue(e.getMessage().startsWith("empty expression"), e.getMessage());
  }

  @Test
  void modulusBoundsTheNumbers() {
    assertEquals("[SUM 6 6 ]", Expression.parse("[SUM 6 6 ]", 7).toString());
    ListOpsSyntaxException e =
        assertThrows(ListOpsSyntaxException.class, () -> Expression.parse("[SUM 6 7 ]", 7));
    assertEquals("number 7 out of range 0..6 (modulus 7) at position 7", e.getMessage());
  }

  @Test
  void expressionOfCheckedTokens() {
    Vocabulary v = new Vocabulary(10);
    int[] tokens = {v.id("[SUM"), v.numberId(1), v.numberId(2), Vocabulary.CLOSE};
    assertEquals("[SUM 1 2 ]", Expression.of(tokens, 10).toString());
    assertThrows(
        ListOpsSyntaxException.class,
        () -> Expression.of(new int[] {v.id("[SUM"), v.numberId(1)}, 10));
  }
}
