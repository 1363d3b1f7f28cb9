package dev.emergence.listops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatasetTest {
  private static Set<String> texts(Split split) {
    Set<String> out = new HashSet<>();
    for (int i = 0; i < split.size(); i++) out.add(split.expression(i).toString());
    return out;
  }

  private static void assertDisjointByCanonicalText(Dataset d) {
    Set<String> train = texts(d.train());
    Set<String> heldOut = new HashSet<>();
    int heldOutCount = 0;
    for (Operator op : d.config().mix().operators()) {
      for (Split s : new Split[] {d.test().get(op), d.validation().get(op)}) {
        heldOutCount += s.size();
        for (String t : texts(s)) {
          assertFalse(train.contains(t), s.name() + " expression in training: " + t);
          heldOut.add(t);
        }
      }
    }
    assertEquals(heldOutCount, heldOut.size(), "validation and test sets overlap or repeat");
  }

  @Test
  void sampledHeldOutSetsArePureDistinctAndNeverInTraining() {
    GeneratorConfig config = GeneratorConfig.defaults(Mix.parse("MAX,MED,SUM"));
    Dataset d = DatasetBuilder.build(config, new DatasetSpec(50_000, 300, 500), 9);
    assertFalse(d.enumerated());
    assertEquals(50_000, d.train().size());
    Evaluator evaluator = new Evaluator(Modulus.of(10));
    for (Operator op : config.mix().operators()) {
      assertEquals(500, d.test().get(op).size());
      assertEquals(300, d.validation().get(op).size());
      Split test = d.test().get(op);
      for (int i = 0; i < test.size(); i++) {
        assertEquals(Set.of(op), test.expression(i).operators());
        assertEquals(evaluator.evaluate(test.expression(i)), test.answer(i));
      }
    }
    // Shallow expressions are frequent, so training would contain test expressions without the
    // filter.
    assertDisjointByCanonicalText(d);
  }

  @Test
  void anOperatorsTestSetIsTheSameForEveryMix() {
    DatasetSpec spec = new DatasetSpec(100, 100, 200);
    Dataset alone = DatasetBuilder.build(GeneratorConfig.defaults(Mix.parse("SUM")), spec, 4);
    Dataset joint =
        DatasetBuilder.build(GeneratorConfig.defaults(Mix.parse("MAX:1,MED:1,SUM:2")), spec, 4);
    assertEquals(texts(alone.test().get(Operator.SUM)), texts(joint.test().get(Operator.SUM)));
    assertEquals(
        texts(alone.validation().get(Operator.SUM)), texts(joint.validation().get(Operator.SUM)));
  }

  @Test
  void smallSpacesAreEnumeratedAndSplitExhaustively() {
    // depth 1, arity 2: 100 pure expressions per operator
    GeneratorConfig config =
        GeneratorConfig.defaults(Mix.parse("SUM,MAX")).withMaxDepth(1).withArity(new Arity(2, 2));
    Dataset d = DatasetBuilder.build(config, new DatasetSpec(5_000, 1000, 1000), 1);
    assertTrue(d.enumerated());
    assertEquals(100, d.pureSpaceSize());
    for (Operator op : config.mix().operators()) {
      assertEquals(10, d.test().get(op).size(), "capped at 10% of the space");
      assertEquals(10, d.validation().get(op).size());
    }
    assertDisjointByCanonicalText(d);
    // Training covers the rest of the space: all 80 remaining SUM expressions show up in 5000
    // draws.
    Set<String> trainSum = new HashSet<>();
    for (String t : texts(d.train())) if (t.startsWith("[SUM")) trainSum.add(t);
    assertEquals(80, trainSum.size());
  }

  @Test
  void sameSeedSameDataset() {
    GeneratorConfig config =
        GeneratorConfig.defaults(Mix.parse("MAX,SUM")).withComposition(Composition.PURE);
    DatasetSpec spec = new DatasetSpec(2000, 50, 50);
    Dataset a = DatasetBuilder.build(config, spec, 17);
    Dataset b = DatasetBuilder.build(config, spec, 17);
    for (int i = 0; i < a.train().size(); i++) {
      assertEquals(a.train().expression(i), b.train().expression(i));
      assertEquals(a.train().answer(i), b.train().answer(i));
    }
    assertEquals(texts(a.test().get(Operator.MAX)), texts(b.test().get(Operator.MAX)));
  }

  @Test
  void answerStatsGiveTheMajorityBaseline() {
    GeneratorConfig config = GeneratorConfig.defaults(Mix.parse("MAX,SUM"));
    Dataset d = DatasetBuilder.build(config, new DatasetSpec(0, 0, 2000), 3);
    AnswerStats max = d.testStats(Operator.MAX);
    assertEquals(2000, max.total());
    assertEquals(9, max.majorityAnswer(), "nested MAX is mostly 9");
    assertTrue(max.majorityAccuracy() > 0.5, "MAX majority " + max.majorityAccuracy());
    AnswerStats sum = d.testStats(Operator.SUM);
    assertTrue(sum.majorityAccuracy() < 0.15, "SUM is near uniform: " + sum.majorityAccuracy());
    AnswerStats hand = new AnswerStats(new int[] {1, 3, 0}, 4);
    assertEquals(1, hand.majorityAnswer());
    assertEquals(0.75, hand.majorityAccuracy(), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> new AnswerStats(new int[] {1, 2}, 4));
  }

  @Test
  void tooSmallASpaceIsAClearError() {
    // leaf probability 1 and modulus 2: 4 + 8 = 12 pure expressions; enumerated and capped, never
    // stuck
    GeneratorConfig tiny =
        GeneratorConfig.defaults(Mix.parse("SUM")).withModulus(2).withLeafProbability(1.0);
    Dataset d = DatasetBuilder.build(tiny, new DatasetSpec(100, 100, 100), 0);
    assertEquals(12, d.pureSpaceSize());
    assertEquals(2, d.test().get(Operator.SUM).size());
    assertDisjointByCanonicalText(d);
  }
}
