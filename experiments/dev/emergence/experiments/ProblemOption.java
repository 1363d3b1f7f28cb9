package dev.emergence.experiments;

import com.google.common.base.Preconditions;
import dev.emergence.reparam.Flag;
import dev.emergence.reparam.ProblemSettings;
import dev.emergence.reparam.problem.Problems;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code --problem NAME} and every registered problem's own options, shared by reparam and
 * reparam-bench. A problem's options are the components of its settings record, each named by its
 * {@link Flag}; {@link Groups} adds them to a command under a heading per problem, and {@link
 * #settings} reads the chosen problem's back into its record. The help lists the registered names.
 */
public final class ProblemOption {
  @Option(
      names = "--problem",
      completionCandidates = Problems.Names.class,
      description = "Problem: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  String problem = Problems.DEFAULT;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /**
   * The chosen problem's settings: each of its options as given, else as in its defaults, checked
   * by its record; an option of another problem is refused with one line.
   */
  ProblemSettings settings() {
    ProblemSettings defaults = Problems.defaults(problem);
    ParseResult parsed = command.commandLine().getParseResult();
    for (String name : Problems.names()) {
      for (RecordComponent c : components(Problems.defaults(name))) {
        String flag = c.getAnnotation(Flag.class).name();
        Preconditions.checkArgument(
            name.equals(problem) || !parsed.hasMatchedOption(flag),
            "%s is an option of problem %s, not of %s",
            flag,
            name,
            problem);
      }
    }
    RecordComponent[] components = components(defaults);
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      String flag = components[i].getAnnotation(Flag.class).name();
      values[i] =
          parsed.hasMatchedOption(flag)
              ? parsed.matchedOptionValue(flag, null)
              : value(components[i], defaults);
      types[i] = components[i].getType();
    }
    try {
      return defaults.getClass().getDeclaredConstructor(types).newInstance(values);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "cannot make " + defaults.getClass().getSimpleName() + " from its options", e);
    }
  }

  private static RecordComponent[] components(ProblemSettings settings) {
    RecordComponent[] components = settings.getClass().getRecordComponents();
    for (RecordComponent c : components) {
      Preconditions.checkState(
          c.isAnnotationPresent(Flag.class),
          "%s.%s has no @Flag",
          settings.getClass().getName(),
          c.getName());
    }
    return components;
  }

  private static Object value(RecordComponent c, ProblemSettings settings) {
    try {
      return c.getAccessor().invoke(settings);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + c.getName(), e);
    }
  }

  /**
   * Adds every registered problem's options to a command ({@code @Command(modelTransformer =
   * ProblemOption.Groups.class)}), each problem's under its own heading, their defaults shown as
   * {@code ${DEFAULT-VALUE}}.
   */
  public static final class Groups implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      Map<String, String> owner = new HashMap<>();
      for (String name : Problems.names()) {
        ProblemSettings defaults = Problems.defaults(name);
        RecordComponent[] components = components(defaults);
        if (components.length == 0) {
          continue;
        }
        ArgGroupSpec.Builder group =
            ArgGroupSpec.builder()
                .heading("Options of --problem " + name + ":%n")
                .exclusive(false)
                .validate(false);
        for (RecordComponent c : components) {
          Flag flag = c.getAnnotation(Flag.class);
          String other = owner.putIfAbsent(flag.name(), name);
          Preconditions.checkState(
              other == null, "problems %s and %s both declare %s", other, name, flag.name());
          Object initial = value(c, defaults);
          group.addArg(
              OptionSpec.builder(flag.name())
                  .type(c.getType())
                  .paramLabel("<" + c.getName() + ">")
                  .description(flag.description())
                  .initialValue(initial)
                  .hasInitialValue(initial != null)
                  .build());
        }
        spec.addArgGroup(group.build());
      }
      return spec;
    }
  }
}
