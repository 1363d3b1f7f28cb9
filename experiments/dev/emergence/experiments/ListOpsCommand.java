package dev.emergence.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emergence.listops.AnswerStats;
import dev.emergence.listops.Dataset;
import dev.emergence.listops.DatasetBuilder;
import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.Domain;
import dev.emergence.listops.Evaluator;
import dev.emergence.listops.Expression;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.ListOperator;
import dev.emergence.listops.Modulus;
import dev.emergence.listops.Split;
import dev.emergence.listops.Vocabulary;
import dev.emergence.train.ListOpsTask;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * ListOps expressions: sample datasets as JSON lines, evaluate one expression, answer statistics.
 * With {@code --group}, the expressions of a group task ({@link GroupOption}). An answer prints as
 * a JSON int when it is a number (every ListOps answer; PSIGN and PAT0) and as the element's name
 * otherwise.
 */
@Command(
    name = "listops",
    mixinStandardHelpOptions = true,
    description = {
      "ListOps expressions: sample datasets, evaluate one expression, answer statistics.",
      "With --group S3|S4|Z6, products of permutations in one-line notation (p120 sends 0 to 1, 1 to 2, 2 to 0):"
          + " [PMUL a b c ] is first a, then b, then c; PSIGN answers the product's sign (0 even, 1 odd), PAT0 where"
          + " it sends 0, PMAX the largest element in lexicographic order. PSIGN and PAT0 open only the outermost list;"
          + " their inner lists are products."
    },
    subcommands = {
      ListOpsCommand.Sample.class,
      ListOpsCommand.Eval.class,
      ListOpsCommand.Stats.class
    })
public final class ListOpsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return Emergence.Cli.BAD_INPUT;
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new ListOpsCommand(), args);
  }

  @Command(
      name = "sample",
      mixinStandardHelpOptions = true,
      description = {
        "Print a dataset as JSON lines {expr, answer, split, ops[, cot]}; answer is an int, or with --group an"
            + " element's name (PMUL, PMAX) or an int (PSIGN: 0 even, 1 odd; PAT0: a point).",
        "Of the N examples, 10%% go to validation and 10%% to test, shared equally by the operators of the mix"
            + " (floor), as pure expressions of each; the rest are training examples from the mix. Lines come"
            + " in the order train, validation, test (per operator in mix order)."
      })
  static final class Sample implements Callable<Integer> {
    @Mixin TaskOptions task = new TaskOptions();

    @Mixin GroupOption group = new GroupOption();

    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--n", description = "Number of examples (default: ${DEFAULT-VALUE}).")
    int n = 1000;

    @Option(
        names = "--cot",
        description = "Add the chain-of-thought text 'expr = step1 = ... = answer' as field cot.")
    boolean cot;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (n < 0) throw new IllegalArgumentException("--n must be >= 0, got " + n);
      GeneratorConfig config = group.config(task);
      int operators = config.tasks().operators().size();
      int heldOutPerOperator = (int) (n * 0.1) / operators;
      DatasetSpec sizes =
          new DatasetSpec(
              n - 2 * heldOutPerOperator * operators, heldOutPerOperator, heldOutPerOperator);
      Dataset dataset = DatasetBuilder.build(config, sizes, seed);
      // An enumerated space may cap the held-out sets; keep the total at n by topping up training.
      int heldOut = 0;
      for (ListOperator op : config.tasks().operators()) {
        heldOut += dataset.testSets().get(op).size() + dataset.validationSets().get(op).size();
      }
      if (heldOut + dataset.train().size() < n) {
        sizes = new DatasetSpec(n - heldOut, heldOutPerOperator, heldOutPerOperator);
        dataset = DatasetBuilder.build(config, sizes, seed);
      }
      ObjectMapper json = new ObjectMapper();
      Evaluator evaluator = new Evaluator(new Vocabulary(config.domain()));
      PrintWriter out = spec.commandLine().getOut();
      print(dataset.train(), json, evaluator, out);
      for (ListOperator op : config.tasks().operators())
        print(dataset.validationSets().get(op), json, evaluator, out);
      for (ListOperator op : config.tasks().operators())
        print(dataset.testSets().get(op), json, evaluator, out);
      out.flush();
      return 0;
    }

    private void print(Split split, ObjectMapper json, Evaluator evaluator, PrintWriter out) {
      for (int i = 0; i < split.size(); i++) {
        Expression e = split.expression(i);
        ObjectNode line = json.createObjectNode();
        line.put("expr", e.toString());
        putAnswer(line, "answer", evaluator.vocabulary().domain(), split.answer(i));
        line.put("split", split.name());
        ArrayNode ops = line.putArray("ops");
        e.listOperators().forEach(op -> ops.add(op.name()));
        if (cot) line.put("cot", evaluator.chainText(e));
        try {
          out.println(json.writeValueAsString(line));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
          throw new IllegalStateException(ex);
        }
      }
    }
  }

  @Command(
      name = "eval",
      mixinStandardHelpOptions = true,
      description =
          "Print the value of a ListOps expression; malformed input exits 2 with one line naming the problem and its position.")
  static final class Eval implements Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "EXPR",
        description =
            "The expression, e.g. \"[MAX 2 9 [MIN 4 7 ] 0 ]\", or with --group S3 \"[PMUL p120 p021 ]\".")
    String expression;

    @Option(names = "--modulus", description = "Numbers are 0..N-1 (default: ${DEFAULT-VALUE}).")
    int modulus = Modulus.DEFAULT_N;

    @Mixin GroupOption group = new GroupOption();

    @Option(
        names = "--cot",
        description = "Print the chain 'expr = step1 = ... = answer' instead of the answer.")
    boolean cot;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Vocabulary vocabulary = group.vocabulary(modulus);
      Evaluator evaluator = new Evaluator(vocabulary);
      Expression e = Expression.parse(expression, vocabulary);
      PrintWriter out = spec.commandLine().getOut();
      out.println(cot ? evaluator.chainText(e) : vocabulary.domain().token(evaluator.evaluate(e)));
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "stats",
      mixinStandardHelpOptions = true,
      description =
          "Per operator: the answer distribution of its pure test set and the majority-class accuracy (chance level), as JSON.")
  static final class Stats implements Callable<Integer> {
    @Mixin TaskOptions task = new TaskOptions();

    @Mixin GroupOption group = new GroupOption();

    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(
        names = "--test-size",
        description = "Test examples per operator (default: ${DEFAULT-VALUE}).")
    int testSize = ListOpsTask.DEFAULT_SIZES.testPerOperator();

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      GeneratorConfig config = group.config(task);
      Domain domain = config.domain();
      Dataset dataset = DatasetBuilder.build(config, new DatasetSpec(0, 0, testSize), seed);
      ObjectMapper json = new ObjectMapper();
      ObjectNode root = json.createObjectNode();
      root.put("mix", config.tasks().toString());
      if (domain instanceof Modulus m) root.put("modulus", m.n());
      domain.group().ifPresent(g -> root.put("group", g.name()));
      root.put("depth", config.maxDepth());
      root.put("arity", config.arity().toString());
      root.put("leaf_prob", config.leafProbability());
      root.put("pure_space_size", dataset.pureSpaceSize());
      root.put("enumerated", dataset.enumerated());
      if (domain.group().isPresent()) {
        ArrayNode tokens = root.putArray("answer_tokens"); // the answer of answer_counts[i]
        for (int v = 0; v < domain.values(); v++) tokens.add(domain.token(v));
      }
      ObjectNode ops = root.putObject("operators");
      for (ListOperator op : config.tasks().operators()) {
        AnswerStats stats = dataset.testStats(op);
        ObjectNode node = ops.putObject(op.name());
        node.put("test_size", stats.total());
        ArrayNode counts = node.putArray("answer_counts");
        for (int c : stats.counts()) counts.add(c);
        putAnswer(node, "majority_answer", domain, stats.majorityAnswer());
        node.put("majority_accuracy", Math.round(stats.majorityAccuracy() * 10000) / 10000.0);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(json.writeValueAsString(root));
      out.flush();
      return 0;
    }
  }

  /**
   * An answer as JSON: an int when it is a number (ListOps, PSIGN, PAT0), else the element's name.
   */
  static void putAnswer(ObjectNode node, String field, Domain domain, int value) {
    node.putPOJO(field, answer(domain, value));
  }

  /** An answer for JSON: an Integer when it is a number, else the element's name. */
  static Object answer(Domain domain, int value) {
    String token = domain.token(value);
    return token.chars().allMatch(Character::isDigit) ? Integer.valueOf(token) : token;
  }
}
