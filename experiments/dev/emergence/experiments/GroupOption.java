package dev.emergence.experiments;

import dev.emergence.listops.Arity;
import dev.emergence.listops.Composition;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.Group;
import dev.emergence.listops.Mix;
import dev.emergence.listops.Vocabulary;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --group}: a group task (products in S3, S4 or Z6) instead of the numbers of ListOps.
 * Absent, a command works on the numbers as it always did. A group task's leaves are the group's
 * elements, so {@code --modulus} does not apply; its mix defaults to {@code PMUL}.
 */
public final class GroupOption {
  static final String DEFAULT_MIX = "PMUL";

  @Option(
      names = "--group",
      description =
          "A group task: S3, S4 or Z6, with operators PMUL, PSIGN, PAT0, PMAX (default: the numbers of ListOps).")
  String group;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /** The generator of the task options: ListOps as {@link TaskOptions#config()}, or the group's. */
  GeneratorConfig config(TaskOptions task) {
    if (group == null) return task.config();
    boolean mixGiven = matched("--tasks") || matched("--ops");
    Group g = group();
    Mix<?> mix = Mix.parse(mixGiven ? task.tasks : DEFAULT_MIX, g);
    return new GeneratorConfig(
        g,
        task.depth,
        Arity.parse(task.arity),
        task.leafProbability,
        Composition.parse(task.composition),
        mix);
  }

  /** The vocabulary: the group's, or that of the numbers modulo {@code modulus}. */
  Vocabulary vocabulary(int modulus) {
    return group == null ? new Vocabulary(modulus) : new Vocabulary(group());
  }

  /** The group, or null for the numbers of ListOps; refuses {@code --modulus} with a group. */
  Group group() {
    if (group == null) {
      return null;
    }
    Group g = Group.named(group);
    if (matched("--modulus")) {
      throw new IllegalArgumentException(
          "--modulus is for the numbers of ListOps; the leaves of "
              + g.name()
              + " tasks are its elements: drop --modulus or --group");
    }
    return g;
  }

  private boolean matched(String option) {
    return command.commandLine().getParseResult().hasMatchedOption(option);
  }
}
