package dev.emergence.listops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EnumeratorTest {
  @Test
  void countsMatchHandComputedSizes() {
    GeneratorConfig flat = GeneratorConfig.defaults(Mix.parse("SUM")).withMaxDepth(1);
    assertEquals(1100, new Enumerator(flat).count()); // 10^2 + 10^3
    GeneratorConfig twoLevels = flat.withMaxDepth(2).withArity(new Arity(2, 2)).withModulus(3);
    // children: 3 numbers + 9 flat lists = 12; root: 12^2
    assertEquals(144, new Enumerator(twoLevels).count());
    assertEquals(81, new Enumerator(twoLevels.withLeafProbability(0)).count()); // 9^2 full trees
    assertEquals(
        Long.MAX_VALUE,
        new Enumerator(GeneratorConfig.defaults(Mix.parse("SUM")).withMaxDepth(8)).count());
  }

  @Test
  void enumerationIsDistinctCompleteAndCoversWhatTheGeneratorDraws() {
    GeneratorConfig config =
        GeneratorConfig.defaults(Mix.parse("MED"))
            .withMaxDepth(2)
            .withArity(new Arity(2, 3))
            .withModulus(3);
    Enumerator enumerator = new Enumerator(config);
    List<Example> all = enumerator.enumerate(Operator.MED);
    Set<Expression> distinct = new HashSet<>();
    Evaluator evaluator = new Evaluator(Modulus.of(3));
    for (Example e : all) {
      distinct.add(e.expression());
      assertEquals(evaluator.evaluate(e.expression()), e.answer());
    }
    assertEquals(enumerator.count(), all.size());
    assertEquals(all.size(), distinct.size());
    Generator generator = new Generator(config);
    SplittableRandom random = new SplittableRandom(8);
    for (int i = 0; i < 3000; i++) {
      assertTrue(distinct.contains(generator.nextPure(Operator.MED, random).expression()));
    }
  }
}
