package dev.emergence.experiments;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.base.Preconditions;
import dev.emergence.listops.Domain;
import dev.emergence.listops.Evaluator;
import dev.emergence.listops.Expression;
import dev.emergence.listops.Tokenizer;
import dev.emergence.listops.Vocabulary;
import dev.emergence.probe.Answers;
import dev.emergence.probe.ExportedModel;
import dev.emergence.report.Json;
import dev.emergence.session.SessionConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The quickest way to poke at a model: its answers to given expressions beside the true ones,
 * decoded greedily (the whole chain for chain-of-thought models).
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description =
        "A SavedModel's answers to ListOps (or group) expressions beside the true ones (expressions as arguments, or JSON lines / plain lines on stdin).")
public final class Predict implements Callable<Integer> {
  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description = "The SavedModel (written by train --export).")
  Path model;

  @Parameters(
      paramLabel = "EXPR",
      description =
          "Expressions like '[MAX 2 9 [MIN 4 7 ] 0 ]'; none: read stdin, one per line (plain, or JSON with \"expr\", as listops sample writes).")
  List<String> expressions = new ArrayList<>();

  @Option(
      names = "--json",
      description = "One JSON object per expression (expr, answer, predicted, correct, output).")
  boolean json;

  @Option(
      names = "--threads",
      description = "TensorFlow intra-op and inter-op threads (default: ${DEFAULT-VALUE}).")
  int threads = 1;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Preconditions.checkArgument(threads >= 1, "--threads must be at least 1, got %s", threads);
    List<String> texts = expressions.isEmpty() ? readStdin() : expressions;
    try (ExportedModel m = ExportedModel.open(model, SessionConfig.cpu(threads))) {
      Vocabulary vocabulary = m.vocab();
      Domain domain = vocabulary.domain();
      Evaluator evaluator = new Evaluator(vocabulary);
      Tokenizer tokenizer = new Tokenizer(vocabulary);
      List<Expression> parsed = new ArrayList<>();
      List<int[]> prompts = new ArrayList<>();
      for (String text : texts) {
        Expression e = Expression.parse(text, vocabulary);
        parsed.add(e);
        int[] prompt = Arrays.copyOf(e.tokens(), e.length() + 1);
        prompt[e.length()] = Vocabulary.EQUALS;
        prompts.add(prompt);
      }
      float[] ones = m.ones();
      boolean cot = m.task().cot();
      List<Answers.Decoded> decoded =
          Answers.decode(
              (ids, b, t) -> m.argmax(ids, b, t, ones, ones),
              prompts,
              cot,
              m.config().context(),
              vocabulary);
      PrintWriter out = spec.commandLine().getOut();
      int right = 0;
      for (int i = 0; i < parsed.size(); i++) {
        Expression e = parsed.get(i);
        int truth = evaluator.evaluate(e);
        Answers.Decoded d = decoded.get(i);
        boolean ok = d.answer() == truth;
        right += ok ? 1 : 0;
        String output = tokenizer.decode(d.generated()) + (d.ended() ? " <end>" : "");
        if (json) {
          out.println(
              Json.line(
                  new Line(
                      e.toString(),
                      ListOpsCommand.answer(domain, truth),
                      d.answer() < 0 ? null : ListOpsCommand.answer(domain, d.answer()),
                      ok,
                      output.strip())));
        } else {
          out.printf(
              "%s = %s   (true %s)%s%n",
              e, output.strip(), domain.token(truth), ok ? "" : "   WRONG");
        }
      }
      if (!json) {
        out.printf("%d of %d correct%n", right, parsed.size());
      }
      out.flush();
    }
    return 0;
  }

  /**
   * One --json line: the expression, its true answer, the model's (null when it gave none), and
   * what it wrote. An answer is an int when it is a number, else a group element's name.
   */
  @JsonPropertyOrder(alphabetic = true)
  record Line(String expr, Object answer, Object predicted, boolean correct, String output) {}

  /** Lines of stdin: JSON objects with "expr", or plain expressions; blank lines skipped. */
  private static List<String> readStdin() {
    List<String> out = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        String s = line.strip();
        if (s.isEmpty()) {
          continue;
        }
        if (s.startsWith("{")) {
          JsonNode node;
          try {
            node = Json.mapper().readTree(s);
          } catch (IOException e) {
            throw new IllegalArgumentException(
                "stdin line " + number + " is not valid JSON: " + Emergence.Cli.oneLine(e));
          }
          Preconditions.checkArgument(
              node.hasNonNull("expr"), "stdin line %s has no \"expr\"", number);
          out.add(node.get("expr").asText());
        } else {
          out.add(s);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read stdin: " + e.getMessage(), e);
    }
    Preconditions.checkArgument(
        !out.isEmpty(), "no expressions: give them as arguments or on stdin");
    return out;
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new Predict(), args);
  }
}
