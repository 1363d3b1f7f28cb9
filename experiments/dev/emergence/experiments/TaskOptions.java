package dev.emergence.experiments;

import dev.emergence.listops.Arity;
import dev.emergence.listops.Composition;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.Mix;
import dev.emergence.listops.Operator;
import picocli.CommandLine.Option;

/**
 * Which ListOps expressions to generate, shared by {@code train} and {@code listops sample|stats}.
 * The defaults are {@link GeneratorConfig#defaults} of the mix {@code SUM}. The mix is {@code
 * --tasks}; {@code --ops} (the name {@code listops} documents) is a hidden alias of it.
 */
public final class TaskOptions {
  static final GeneratorConfig DEFAULTS = GeneratorConfig.defaults(Mix.parse("SUM"));

  @Option(
      names = "--tasks",
      description =
          "Operator mix: SUM, MAX,MED,SUM or MAX:1,MED:1,SUM:2; --ops is the same option (default: ${DEFAULT-VALUE}).")
  String tasks = DEFAULTS.mix().toString();

  @Option(names = "--ops", hidden = true, description = "The same as --tasks.")
  void ops(String mix) {
    tasks = mix;
  }

  @Option(
      names = "--composition",
      description =
          "mixed (each list's operator drawn from the mix) or pure (one operator per expression) (default: ${DEFAULT-VALUE}).")
  String composition = DEFAULTS.composition().toString();

  @Option(
      names = "--depth",
      description = "Maximum operator nesting depth (default: ${DEFAULT-VALUE}).")
  int depth = DEFAULTS.maxDepth();

  @Option(
      names = "--arity",
      description =
          "Arguments per list: MIN-MAX like 2-3, or a maximum like 3 (default: ${DEFAULT-VALUE}).")
  String arity = DEFAULTS.arity().toString();

  @Option(names = "--modulus", description = "Numbers are 0..N-1 (default: ${DEFAULT-VALUE}).")
  int modulus = DEFAULTS.modulus();

  @Option(
      names = "--leaf-prob",
      description =
          "Probability that a child above the maximum depth is a number (default: ${DEFAULT-VALUE}).")
  double leafProbability = DEFAULTS.leafProbability();

  /** The generator; a malformed mix is reported first. */
  GeneratorConfig config() {
    Mix<Operator> mix = Mix.parse(tasks);
    return new GeneratorConfig(
        modulus, depth, Arity.parse(arity), leafProbability, Composition.parse(composition), mix);
  }
}
