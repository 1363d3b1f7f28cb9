package dev.emergence.listops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Group tasks end to end: vocabulary, parser, evaluator, generator nesting rule, datasets, tokens.
 */
class GroupTaskTest {
  private static final String ALL = "PMUL,PSIGN,PAT0,PMAX";

  private static GeneratorConfig config(Group group, String mix) {
    return GeneratorConfig.defaults(group, Mix.parse(mix, group));
  }

  @Test
  void vocabularyListsSpecialsOperatorsElementsThenDigits() {
    Vocabulary v = new Vocabulary(Group.S3);
    String[] expected = {
      "<pad>", "<end>", "=", "]", "[PMUL", "[PSIGN", "[PAT0", "[PMAX", "p012", "p021", "p102",
      "p120", "p201", "p210", "0", "1", "2"
    };
    assertEquals(expected.length, v.size());
    for (int id = 0; id < expected.length; id++) {
      assertEquals(expected[id], v.token(id));
      assertEquals(id, v.id(expected[id]));
    }
    assertEquals(8, v.firstValue());
    assertEquals(36, new Vocabulary(Group.S4).size());
    assertEquals(20, new Vocabulary(Group.Z6).size());
    assertEquals("S3", v.group().orElseThrow().name());
    assertTrue(new Vocabulary(10).group().isEmpty());
    assertThrows(IllegalArgumentException.class, () -> v.id("[SUM"));
    assertThrows(IllegalArgumentException.class, () -> v.id("p0123"));
    assertThrows(IllegalArgumentException.class, () -> v.id("3"));
    assertThrows(IllegalStateException.class, v::modulus);
  }

  @ParameterizedTest
  @ValueSource(strings = {"S3", "S4", "Z6"})
  void theEvaluatorAgreesWithComposingThePermutations(String name) {
    Group group = Group.named(name);
    Generator generator =
        new Generator(config(group, ALL).withMaxDepth(4).withArity(new Arity(1, 4)));
    Evaluator evaluator = new Evaluator(generator.vocabulary());
    SplittableRandom random = new SplittableRandom(26);
    for (int i = 0; i < 3000; i++) {
      Example example = generator.next(random);
      String text = example.expression().toString();
      assertEquals(Direct.value(text), group.token(example.answer()), text);
      assertEquals(example.answer(), evaluator.evaluate(example.expression()), text);
      List<Expression> chain = evaluator.chain(example.expression());
      assertEquals(example.expression().depth(), chain.size());
      assertEquals(group.token(example.answer()), chain.get(chain.size() - 1).toString());
    }
  }

  @Test
  void pmulOnZ6IsSumModuloSixOnTheRotationAmounts() {
    Generator generator = new Generator(config(Group.Z6, "PMUL").withMaxDepth(4));
    Evaluator sum = new Evaluator(Modulus.of(6));
    SplittableRandom random = new SplittableRandom(6);
    for (int i = 0; i < 2000; i++) {
      Example example = generator.next(random);
      // rotation by k is element k, written with k first: p345012 -> 3
      String digits =
          example.expression().toString().replace("[PMUL", "[SUM").replaceAll("p(\\d)\\d{5}", "$1");
      assertEquals(example.answer(), sum.evaluate(Expression.parse(digits, 6)), digits);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"S3", "S4", "Z6"})
  void psignIsTheSumOfTheSignsModuloTwo(String name) {
    Group group = Group.named(name);
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < 500; i++) {
      int[] elements = new int[1 + random.nextInt(5)];
      int parity = 0;
      for (int k = 0; k < elements.length; k++) {
        elements[k] = random.nextInt(group.order());
        parity ^= group.sign(elements[k]);
      }
      assertEquals(
          group.digit(parity),
          group.apply(GroupOperator.PSIGN, elements.clone(), 0, elements.length));
      int product = group.apply(GroupOperator.PMUL, elements.clone(), 0, elements.length);
      assertEquals(
          group.digit(group.image(product, 0)),
          group.apply(GroupOperator.PAT0, elements.clone(), 0, elements.length));
    }
  }

  @CsvSource(
      delimiter = '|',
      value = {
        "[PMUL p120 p021 ]            | p210",
        "[PMUL p021 p120 ]            | p102",
        "[PMUL p120 p120 p120 ]       | p012",
        "[PSIGN p120 p021 ]           | 1",
        "[PSIGN p120 [PMUL p021 p102 ] ] | 0",
        "[PAT0 p120 p021 ]            | 2",
        "[PMAX p021 p201 [PMUL p120 p021 ] ] | p210",
        "p201                         | p201",
      })
  @ParameterizedTest
  void handCheckedValuesInS3(String text, String value) {
    Vocabulary v = new Vocabulary(Group.S3);
    Expression e = Expression.parse(text, v);
    assertEquals(text, e.toString());
    assertEquals(value, Group.S3.token(new Evaluator(v).evaluate(e)));
  }

  @Test
  void chainOfThoughtOfPsignEndsInADigit() {
    Vocabulary v = new Vocabulary(Group.S3);
    assertEquals(
        "[PSIGN p120 [PMUL p021 p102 ] ] = [PSIGN p120 p120 ] = 0",
        new Evaluator(v).chainText(Expression.parse("[PSIGN p120 [PMUL p021 p102 ] ]", v)));
  }

  @ParameterizedTest(name = "{0} -> {1} @ {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "[PMUL p1230 p021 ]      | has 4 points, but S3 permutes 3 | 6",
        "[PMUL p12 ]             | has 2 points                 | 6",
        "[PMUL p112 ]            | p112 is not an element of S3 | 6",
        "[PMUL 1 2 ]             | malformed element '1'        | 6",
        "[PMUL q120 ]            | malformed element 'q120'     | 6",
        "[PMUL p120 [PSIGN p021 ] ] | PSIGN does not answer an element | 11",
        "[PMAX [PAT0 p021 ] ]    | PAT0 does not answer an element | 6",
        "[SUM p120 ]             | unknown operator 'SUM' (known: PMUL, PSIGN, PAT0, PMAX; SUM is an operator of digit tasks) | 1",
        "[PMUL p120 -p021 ]      | unexpected character '-' (expected '[OP', ']' or an element of S3 like p120) | 11",
        "1                       | malformed element '1'        | 0",
      })
  void malformedGroupInputNamesTheProblemAndItsPosition(String text, String problem, int position) {
    ListOpsSyntaxException e =
        assertThrows(
            ListOpsSyntaxException.class, () -> Expression.parse(text, new Vocabulary(Group.S3)));
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertEquals(position, e.position(), e.getMessage());
  }

  @Test
  void z6RejectsPermutationsThatAreNotRotations() {
    ListOpsSyntaxException e =
        assertThrows(
            ListOpsSyntaxException.class,
            () -> Expression.parse("[PMUL p102345 ]", new Vocabulary(Group.Z6)));
    assertTrue(
        e.getMessage().startsWith("p102345 is not an element of Z6 (the rotations of 0..5"),
        e.getMessage());
  }

  @Test
  void digitTasksRejectGroupOperatorsAndGroupTasksDigitOperators() {
    ListOpsSyntaxException digits =
        assertThrows(ListOpsSyntaxException.class, () -> Expression.parse("[PMUL 1 2 ]", 10));
    assertTrue(
        digits.getMessage().contains("PMUL is an operator of group tasks"), digits.getMessage());
    IllegalArgumentException mix =
        assertThrows(IllegalArgumentException.class, () -> Mix.parse("PMUL"));
    assertTrue(mix.getMessage().contains("PMUL is an operator of group tasks"), mix.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Mix.parse("PMUL,SUM", Group.S3));
    assertThrows(
        IllegalArgumentException.class, () -> GeneratorConfig.defaults(Group.S3, Mix.parse("SUM")));
    assertThrows(IllegalArgumentException.class, () -> config(Group.S3, "PMUL").withModulus(10));
  }

  @Test
  void generatedExpressionsRoundTripThroughText() {
    Generator generator = new Generator(config(Group.S4, ALL));
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 2000; i++) {
      Expression e = generator.next(random).expression();
      assertEquals(e, Expression.parse(e.toString(), generator.vocabulary()));
    }
  }

  @Test
  void psignAndPat0StandOnlyAtTheRootAndTheirInnerListsAreProducts() {
    for (Composition composition : Composition.values()) {
      Generator generator =
          new Generator(
              config(Group.S3, ALL).withLeafProbability(0.2).withComposition(composition));
      SplittableRandom random = new SplittableRandom(9);
      Set<String> roots = new HashSet<>();
      for (int i = 0; i < 5000; i++) {
        Expression e = generator.next(random).expression();
        List<ListOperator> ops = operatorsInOrder(e);
        ListOperator root = ops.get(0);
        roots.add(root.name());
        for (ListOperator inner : ops.subList(1, ops.size())) {
          assertTrue(inner.nestable(), "only the root may be " + inner + ": " + e);
          if (!root.nestable()) assertEquals(GroupOperator.PMUL, inner, e.toString());
          if (composition == Composition.PURE && root.nestable())
            assertEquals(root, inner, e.toString());
        }
      }
      assertEquals(Set.of("PMUL", "PSIGN", "PAT0", "PMAX"), roots);
    }
  }

  @Test
  void mixedExpressionsBelowAnElementRootDrawFromTheMixsElementOperators() {
    Generator generator = new Generator(config(Group.S3, "PMAX,PSIGN").withLeafProbability(0));
    SplittableRandom random = new SplittableRandom(4);
    for (int i = 0; i < 1000; i++) {
      Expression e = generator.next(random).expression();
      Set<ListOperator> below =
          new HashSet<>(operatorsInOrder(e).subList(1, operatorsInOrder(e).size()));
      Set<ListOperator> expected =
          operatorsInOrder(e).get(0) == GroupOperator.PMAX
              ? Set.of(GroupOperator.PMAX)
              : Set.of(GroupOperator.PMUL);
      assertEquals(expected, below, e.toString());
    }
  }

  @Test
  void heldOutSetsArePureDisjointAndTheSameForEveryMix() {
    DatasetSpec spec = new DatasetSpec(20_000, 100, 200);
    Dataset alone = DatasetBuilder.build(config(Group.S4, "PMUL"), spec, 5);
    Dataset joint = DatasetBuilder.build(config(Group.S4, "PMUL:2," + "PSIGN,PAT0,PMAX"), spec, 5);
    assertEquals(
        texts(alone.testSets().get(GroupOperator.PMUL)),
        texts(joint.testSets().get(GroupOperator.PMUL)));
    assertEquals(
        texts(alone.validationSets().get(GroupOperator.PMUL)),
        texts(joint.validationSets().get(GroupOperator.PMUL)));
    Set<String> train = texts(joint.train());
    Set<String> heldOut = new HashSet<>();
    Evaluator evaluator = new Evaluator(new Vocabulary(Group.S4));
    for (ListOperator op : joint.config().tasks().operators()) {
      for (Split split : List.of(joint.testSets().get(op), joint.validationSets().get(op))) {
        for (int i = 0; i < split.size(); i++) {
          Expression e = split.expression(i);
          assertEquals(op, operatorsInOrder(e).get(0));
          assertTrue(
              new HashSet<>(List.of(op, op.inner())).containsAll(e.listOperators()), "pure: " + e);
          assertEquals(evaluator.evaluate(e), split.answer(i));
          assertFalse(train.contains(e.toString()), e.toString());
          assertTrue(heldOut.add(e.toString()), "repeated " + e);
        }
      }
    }
    assertEquals(4 * 300, heldOut.size());
    AnswerStats sign = joint.testStats(GroupOperator.PSIGN);
    assertEquals(200, sign.count(Group.S4.digit(0)) + sign.count(Group.S4.digit(1)));
    assertThrows(IllegalStateException.class, joint::test);
  }

  @Test
  void smallGroupSpacesAreEnumerated() {
    // depth 1, arity 2-3: 6^2 + 6^3 = 252 pure expressions per operator
    GeneratorConfig flat = config(Group.S3, ALL).withMaxDepth(1);
    assertEquals(252, new Enumerator(flat).count());
    List<Example> psign = new Enumerator(flat).enumerate(GroupOperator.PSIGN);
    assertEquals(252, psign.stream().map(x -> x.expression().toString()).distinct().count());
    // depth 2, arity 2: children are 6 elements or 36 products, so 42^2 PSIGN expressions
    List<Example> nested =
        new Enumerator(flat.withMaxDepth(2).withArity(new Arity(2, 2)))
            .enumerate(GroupOperator.PSIGN);
    assertEquals(42 * 42, nested.size());
    Evaluator evaluator = new Evaluator(new Vocabulary(Group.S3));
    for (Example x : nested) {
      assertEquals(evaluator.evaluate(x.expression()), x.answer());
      assertTrue(
          Set.of(GroupOperator.PSIGN, GroupOperator.PMUL)
              .containsAll(x.expression().listOperators()));
    }
    Dataset d = DatasetBuilder.build(flat, new DatasetSpec(2000, 100, 100), 1);
    assertTrue(d.enumerated());
    assertEquals(26, d.testSets().get(GroupOperator.PMAX).size(), "capped at 10% of the space");
  }

  @Test
  void tokenizerWritesElementAndDigitAnswers() {
    Vocabulary v = new Vocabulary(Group.S3);
    Tokenizer tokenizer = new Tokenizer(v);
    Evaluator evaluator = new Evaluator(v);
    Expression product = Expression.parse("[PMUL p120 p021 ]", v);
    assertEquals(
        "[PMUL p120 p021 ] = p210 <end>",
        tokenizer.decode(tokenizer.sequence(product, evaluator.evaluate(product), false)));
    Expression sign = Expression.parse("[PSIGN p120 [PMUL p021 p102 ] ]", v);
    int[] ids = tokenizer.sequence(sign, evaluator.evaluate(sign), true);
    assertEquals(
        "[PSIGN p120 [PMUL p021 p102 ] ] = [PSIGN p120 p120 ] = 0 <end>", tokenizer.decode(ids));
    assertArrayEquals(ids, tokenizer.encode(tokenizer.decode(ids)));
    assertEquals(v.id("0"), ids[ids.length - 2]);
  }

  private static Set<String> texts(Split split) {
    Set<String> out = new HashSet<>();
    for (int i = 0; i < split.size(); i++) out.add(split.expression(i).toString());
    return out;
  }

  private static List<ListOperator> operatorsInOrder(Expression e) {
    List<ListOperator> out = new ArrayList<>();
    for (int k = 0; k < e.length(); k++)
      if (e.vocabulary().isOperatorId(e.token(k))) out.add(e.vocabulary().operator(e.token(k)));
    return out;
  }

  /** A recursive evaluator over the text that composes the permutations as int arrays. */
  private static final class Direct {
    private final String[] tokens;
    private int at;

    private Direct(String text) {
      tokens = text.trim().split(" ");
    }

    static String value(String text) {
      Direct d = new Direct(text);
      String token = d.tokens[0];
      if (!token.startsWith("[")) return token;
      d.at = 1;
      List<int[]> args = d.arguments();
      int[] product = compose(args);
      return switch (token) {
        case "[PMUL" -> oneLine(product);
        case "[PSIGN" -> Integer.toString(GroupTest.cycleParity(product));
        case "[PAT0" -> Integer.toString(product[0]);
        case "[PMAX" -> args.stream().map(Direct::oneLine).max(String::compareTo).orElseThrow();
        default -> throw new AssertionError(token);
      };
    }

    /** The element-valued arguments up to the closing ']'. */
    private List<int[]> arguments() {
      List<int[]> args = new ArrayList<>();
      while (!tokens[at].equals("]")) {
        String token = tokens[at++];
        if (token.startsWith("p")) {
          args.add(token.substring(1).chars().map(c -> c - '0').toArray());
        } else {
          List<int[]> inner = arguments();
          args.add(
              switch (token) {
                case "[PMUL" -> compose(inner);
                case "[PMAX" ->
                    inner.stream().max((a, b) -> oneLine(a).compareTo(oneLine(b))).orElseThrow();
                default -> throw new AssertionError("not element-valued: " + token);
              });
        }
      }
      at++;
      return args;
    }

    /** First the first, then the next, ...: i goes to last(...(first(i))). */
    private static int[] compose(List<int[]> permutations) {
      int[] out = permutations.get(0).clone();
      for (int[] p : permutations.subList(1, permutations.size()))
        for (int i = 0; i < out.length; i++) out[i] = p[out[i]];
      return out;
    }

    private static String oneLine(int[] p) {
      StringBuilder out = new StringBuilder("p");
      for (int i : p) out.append(i);
      return out.toString();
    }
  }
}
