package dev.emergence.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emergence.listops.AnswerStats;
import dev.emergence.listops.Dataset;
import dev.emergence.listops.DatasetBuilder;
import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.Evaluator;
import dev.emergence.listops.Expression;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.Modulus;
import dev.emergence.listops.Operator;
import dev.emergence.listops.Split;
import dev.emergence.train.ListOpsTask;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** ListOps expressions: sample datasets as JSON lines, evaluate one expression, answer statistics. */
@Command(
    name = "listops",
    mixinStandardHelpOptions = true,
    description = "ListOps expressions: sample datasets, evaluate one expression, answer statistics.",
    subcommands = {ListOpsCommand.Sample.class, ListOpsCommand.Eval.class, ListOpsCommand.Stats.class})
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
        "Print a dataset as JSON lines {expr, answer, split, ops[, cot]}.",
        "Of the N examples, 10%% go to validation and 10%% to test, shared equally by the operators of the mix"
            + " (floor), as pure expressions of each; the rest are training examples from the mix. Lines come"
            + " in the order train, validation, test (per operator in mix order)."
      })
  static final class Sample implements Callable<Integer> {
    @Mixin TaskOptions task = new TaskOptions();

    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--n", description = "Number of examples (default: ${DEFAULT-VALUE}).")
    int n = 1000;

    @Option(names = "--cot", description = "Add the chain-of-thought text 'expr = step1 = ... = answer' as field cot.")
    boolean cot;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (n < 0) throw new IllegalArgumentException("--n must be >= 0, got " + n);
      GeneratorConfig config = task.config();
      int operators = config.mix().operators().size();
      int heldOutPerOperator = (int) (n * 0.1) / operators;
      DatasetSpec sizes = new DatasetSpec(n - 2 * heldOutPerOperator * operators, heldOutPerOperator, heldOutPerOperator);
      Dataset dataset = DatasetBuilder.build(config, sizes, seed);
      // An enumerated space may cap the held-out sets; keep the total at n by topping up training.
      int heldOut = 0;
      for (Operator op : config.mix().operators()) heldOut += dataset.test().get(op).size() + dataset.validation().get(op).size();
      if (heldOut + dataset.train().size() < n) {
        sizes = new DatasetSpec(n - heldOut, heldOutPerOperator, heldOutPerOperator);
        dataset = DatasetBuilder.build(config, sizes, seed);
      }
      ObjectMapper json = new ObjectMapper();
      Evaluator evaluator = new Evaluator(Modulus.of(config.modulus()));
      PrintWriter out = spec.commandLine().getOut();
      print(dataset.train(), json, evaluator, out);
      for (Operator op : config.mix().operators()) print(dataset.validation().get(op), json, evaluator, out);
      for (Operator op : config.mix().operators()) print(dataset.test().get(op), json, evaluator, out);
      out.flush();
      return 0;
    }

    private void print(Split split, ObjectMapper json, Evaluator evaluator, PrintWriter out) {
      for (int i = 0; i < split.size(); i++) {
        Expression e = split.expression(i);
        ObjectNode line = json.createObjectNode();
        line.put("expr", e.toString());
        line.put("answer", split.answer(i));
        line.put("split", split.name());
        ArrayNode ops = line.putArray("ops");
        e.operators().forEach(op -> ops.add(op.name()));
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
      description = "Print the value of a ListOps expression; malformed input exits 2 with one line naming the problem and its position.")
  static final class Eval implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "EXPR", description = "The expression, e.g. \"[MAX 2 9 [MIN 4 7 ] 0 ]\".")
    String expression;

    @Option(names = "--modulus", description = "Numbers are 0..N-1 (default: ${DEFAULT-VALUE}).")
    int modulus = Modulus.DEFAULT_N;

    @Option(names = "--cot", description = "Print the chain 'expr = step1 = ... = answer' instead of the answer.")
    boolean cot;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Evaluator evaluator = new Evaluator(Modulus.of(modulus));
      Expression e = Expression.parse(expression, modulus);
      PrintWriter out = spec.commandLine().getOut();
      out.println(cot ? evaluator.chainText(e) : Integer.toString(evaluator.evaluate(e)));
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "stats",
      mixinStandardHelpOptions = true,
      description = "Per operator: the answer distribution of its pure test set and the majority-class accuracy (chance level), as JSON.")
  static final class Stats implements Callable<Integer> {
    @Mixin TaskOptions task = new TaskOptions();

    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--test-size", description = "Test examples per operator (default: ${DEFAULT-VALUE}).")
    int testSize = ListOpsTask.DEFAULT_SIZES.testPerOperator();

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      GeneratorConfig config = task.config();
      Dataset dataset = DatasetBuilder.build(config, new DatasetSpec(0, 0, testSize), seed);
      ObjectMapper json = new ObjectMapper();
      ObjectNode root = json.createObjectNode();
      root.put("mix", config.mix().toString());
      root.put("modulus", config.modulus());
      root.put("depth", config.maxDepth());
      root.put("arity", config.arity().toString());
      root.put("leaf_prob", config.leafProbability());
      root.put("pure_space_size", dataset.pureSpaceSize());
      root.put("enumerated", dataset.enumerated());
      ObjectNode ops = root.putObject("operators");
      for (Operator op : config.mix().operators()) {
        AnswerStats stats = dataset.testStats(op);
        ObjectNode node = ops.putObject(op.name());
        node.put("test_size", stats.total());
        ArrayNode counts = node.putArray("answer_counts");
        for (int c : stats.counts()) counts.add(c);
        node.put("majority_answer", stats.majorityAnswer());
        node.put("majority_accuracy", Math.round(stats.majorityAccuracy() * 10000) / 10000.0);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(json.writeValueAsString(root));
      out.flush();
      return 0;
    }
  }
}
