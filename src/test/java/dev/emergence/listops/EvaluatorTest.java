package dev.emergence.listops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
  private final Evaluator ten = new Evaluator(Modulus.of(10));

  private int eval(String text) {
    return ten.evaluate(Expression.parse(text, 10));
  }

  @Test
  void nestedExpressions() {
    assertEquals(9, eval("[MAX 2 9 [MIN 4 7 ] 0 ]"));
    assertEquals(4, eval("[SUM 1 [MAX 2 3 ] ]"));
    assertEquals(5, eval("[NADD 2 [PROD 3 9 ] ]")); // 2 - 7 = -5 -> 5
    assertEquals(7, eval("7"));
  }

  @Test
  void nestedMedianUsesTheChildValues() {
    // children: 1, SUM(5,6)=1, 2, PROD(3,3)=9 -> sorted 1 1 2 9 -> floor((1+2)/2) = 1
    assertEquals(1, eval("[MED 1 [SUM 5 6 ] 2 [PROD 3 3 ] ]"));
  }

  @Test
  void chainReplacesEveryInnermostListInOneStep() {
    assertEquals(
        "[SUM 1 [MAX 2 3 ] ] = [SUM 1 3 ] = 4",
        ten.chainText(Expression.parse("[SUM 1 [MAX 2 3 ] ]", 10)));
    assertEquals(
        "[MAX [SUM 4 [MIN 8 9 ] ] [NADD 1 5 ] 0 ] = [MAX [SUM 4 8 ] 6 0 ] = [MAX 2 6 0 ] = 6",
        ten.chainText(Expression.parse("[MAX [SUM 4 [MIN 8 9 ] ] [NADD 1 5 ] 0 ]", 10)));
    assertEquals("[SUM 3 4 ] = 7", ten.chainText(Expression.parse("[SUM 3 4 ]", 10)));
    assertEquals("5", ten.chainText(Expression.parse("5", 10)));
  }

  @Test
  void chainEndsInTheValueAndHasOneStepPerDepthLevel() {
    Generator generator =
        new Generator(GeneratorConfig.defaults(Mix.parse("MAX,MED,SUM,NADD,RSUM")));
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 1000; i++) {
      Example example = generator.next(random);
      List<Expression> chain = ten.chain(example.expression());
      assertEquals(example.expression().depth(), chain.size());
      assertEquals(
          Vocabulary.FIRST_NUMBER + example.answer(), chain.get(chain.size() - 1).token(0));
      for (Expression step : chain) assertEquals(example.answer(), ten.evaluate(step));
    }
  }
}
