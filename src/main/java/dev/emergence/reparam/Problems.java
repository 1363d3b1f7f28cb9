package dev.emergence.reparam;

import com.google.common.collect.ImmutableMap;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/** The problems by name: adding one is one class implementing {@link Problem} plus one line here. */
public final class Problems {
  /** The problem a run solves when none is named. */
  public static final String DEFAULT = "heat";

  private static final ImmutableMap<String, Function<GraphSpec.Loaded, Problem>> REGISTRY =
      ImmutableMap.of(
          "heat", HeatProblem::of,
          "kuramoto", KuramotoProblem::of,
          "homology", HomologyProblem::of);

  private Problems() {}

  /** The registered names, in registration order. */
  public static List<String> names() {
    return REGISTRY.keySet().asList();
  }

  /** The problem {@code name} on a graph; an unknown name fails as {@link #checkKnown} does. */
  public static Problem create(String name, GraphSpec.Loaded graph) {
    return REGISTRY.get(checkKnown(name)).apply(graph);
  }

  /** Returns {@code name} if registered; else an IllegalArgumentException, one line naming the known ones. */
  public static String checkKnown(String name) {
    if (!REGISTRY.containsKey(name)) {
      throw new IllegalArgumentException("unknown problem '" + name + "'; expected one of: " + String.join(", ", names()));
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
