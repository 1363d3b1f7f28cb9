package dev.emergence.listops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MixTest {
  @Test
  void parsesTheThreeForms() {
    assertEquals(new Mix<>(List.of(Operator.SUM), List.of(1.0)), Mix.parse("SUM"));
    assertEquals(Mix.of(Operator.MAX, Operator.MED, Operator.SUM), Mix.parse("MAX,MED,SUM"));
    Mix<Operator> ratios = Mix.parse("MAX:1,MED:1,SUM:2");
    assertEquals(List.of(Operator.MAX, Operator.MED, Operator.SUM), ratios.operators());
    assertEquals(0.5, ratios.probability(Operator.SUM), 1e-12);
    assertEquals(0.0, ratios.probability(Operator.PROD), 1e-12);
  }

  @Test
  void toStringRoundTrips() {
    for (String text :
        List.of("SUM", "MAX,MED,SUM", "MAX:1,MED:1,SUM:2", "SUM:2,NADD:2", "RSUM:0.5,MIN:1.25")) {
      Mix<Operator> mix = Mix.parse(text);
      assertEquals(text, mix.toString());
      assertEquals(mix, Mix.parse(mix.toString()));
    }
  }

  @Test
  void rejectsBadMixesWithOneLineMessages() {
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> Mix.parse("SUM,AVG"));
    assertEquals(
        "unknown operator 'AVG' in mix 'SUM,AVG' (known: MAX, MIN, MED, SUM, PROD, NADD, RSUM)",
        unknown.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Mix.parse(""));
    assertThrows(IllegalArgumentException.class, () -> Mix.parse("SUM,"));
    assertThrows(IllegalArgumentException.class, () -> Mix.parse("SUM,SUM"));
    assertThrows(IllegalArgumentException.class, () -> Mix.parse("SUM:0"));
    assertThrows(IllegalArgumentException.class, () -> Mix.parse("SUM:-1"));
    IllegalArgumentException weight =
        assertThrows(IllegalArgumentException.class, () -> Mix.parse("SUM:x"));
    assertTrue(weight.getMessage().startsWith("bad weight 'x' for SUM"), weight.getMessage());
  }

  @Test
  void pureCompositionDrawsExpressionOperatorsWithTheMixRatios() {
    GeneratorConfig config =
        GeneratorConfig.defaults(Mix.parse("MAX:1,MED:1,SUM:2")).withComposition(Composition.PURE);
    Generator generator = new Generator(config);
    SplittableRandom random = new SplittableRandom(5);
    Map<Operator, Integer> counts = new EnumMap<>(Operator.class);
    int n = 40_000;
    for (int i = 0; i < n; i++) {
      var ops = generator.next(random).expression().operators();
      assertEquals(1, ops.size(), "a pure expression uses one operator");
      counts.merge(ops.iterator().next(), 1, Integer::sum);
    }
    // Binomial standard deviation at n = 40000 is at most 0.0025; allow 4 of them.
    assertEquals(0.25, counts.get(Operator.MAX) / (double) n, 0.01);
    assertEquals(0.25, counts.get(Operator.MED) / (double) n, 0.01);
    assertEquals(0.50, counts.get(Operator.SUM) / (double) n, 0.01);
  }

  @Test
  void mixedCompositionDrawsEveryListsOperatorWithTheMixRatios() {
    Generator generator = new Generator(GeneratorConfig.defaults(Mix.parse("MAX:3,SUM:1")));
    SplittableRandom random = new SplittableRandom(6);
    Vocabulary vocabulary = new Vocabulary(10);
    long max = 0, total = 0;
    for (int i = 0; i < 20_000; i++) {
      Expression e = generator.next(random).expression();
      for (int k = 0; k < e.length(); k++) {
        if (vocabulary.isOperatorId(e.token(k))) {
          total++;
          if (vocabulary.operator(e.token(k)) == Operator.MAX) max++;
        }
      }
    }
    assertTrue(total > 50_000, "enough lists: " + total);
    assertEquals(0.75, max / (double) total, 0.01);
  }
}
