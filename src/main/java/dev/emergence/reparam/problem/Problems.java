package dev.emergence.reparam.problem;

import com.google.common.base.Preconditions;
import dev.emergence.reparam.ProblemSettings;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The problems by name, each with its default settings. Adding one is a class implementing {@code
 * Problem} with its {@link ProblemSettings} record, and one line here.
 */
public final class Problems {
  /** The problem a run solves when none is named. */
  public static final String DEFAULT = "heat";

  private static final Map<String, ProblemSettings> DEFAULTS = new LinkedHashMap<>();

  static {
    register("heat", HeatProblem.Settings.DEFAULTS);
    register("kuramoto", KuramotoProblem.Settings.DEFAULTS);
    register("homology", HomologyProblem.Settings.DEFAULTS);
  }

  private Problems() {}

  /**
   * Registers a problem under {@code name} with its default settings (a record implementing {@link
   * ProblemSettings}); a problem outside this list (a test's) registers itself the same way.
   */
  public static synchronized void register(String name, ProblemSettings defaults) {
    Preconditions.checkArgument(
        defaults instanceof Record,
        "%s's settings must be a record, got %s",
        name,
        defaults.getClass());
    ProblemSettings known = DEFAULTS.putIfAbsent(name, defaults);
    Preconditions.checkArgument(
        known == null || known.equals(defaults), "problem '%s' is registered twice", name);
  }

  /** The registered names, in registration order. */
  public static synchronized List<String> names() {
    return List.copyOf(DEFAULTS.keySet());
  }

  /** The default settings of {@code name}; an unknown name fails as {@link #checkKnown} does. */
  public static synchronized ProblemSettings defaults(String name) {
    return DEFAULTS.get(checkKnown(name));
  }

  /**
   * Returns {@code name} if registered; else an IllegalArgumentException, one line naming the known
   * ones.
   */
  public static synchronized String checkKnown(String name) {
    if (!DEFAULTS.containsKey(name)) {
      throw new IllegalArgumentException(
          "unknown problem '" + name + "'; expected one of: " + String.join(", ", names()));
    }
    return name;
  }

  /** The names as picocli completion candidates, so that {@code --help} lists them. */
  public static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return names().iterator();
    }
  }
}
