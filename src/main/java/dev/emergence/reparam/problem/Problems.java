package dev.emergence.reparam.problem;

import dev.emergence.reparam.Problem;
import dev.emergence.reparam.graph.GraphSpec;
import dev.emergence.reparam.graph.PointClouds;

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

  /**
   * The problem {@code name} on {@code spec} with its options: heat and Kuramoto on a graph spec
   * (Kuramoto with its Hessian point, initial spread, its initial phases' seed and target r); homology on
   * a point cloud ({@code points:N:K}, {@code csv:FILE}) or a 2-D graph's positions, with its settings.
   */
  public static Problem create(String name, String spec, long seed, ProblemSettings settings) {
    return switch (checkKnown(name)) {
      case "kuramoto" -> new KuramotoProblem(
          GraphSpec.load(spec, seed).graph(), settings.hessianAt(), settings.spread(), seed, settings.targetR());
      case "homology" -> PointClouds.isCloudSpec(spec)
          ? HomologyProblem.of(PointClouds.load(spec, seed), settings.homology())
          : HomologyProblem.of(GraphSpec.load(spec, seed), settings.homology());
      default -> create(name, GraphSpec.load(spec, seed));
    };
  }

  /**
   * Checks a spec's syntax before any work: a point cloud spec for homology ({@code points:N:K} is
   * generated, so checked whole; a CSV is read later), else a graph spec.
   */
  public static void checkSpec(String name, String spec) {
    if (name.equals("homology") && PointClouds.isCloudSpec(spec)) {
      if (spec.startsWith("points:")) {
        PointClouds.load(spec, 0);
      }
    } else {
      GraphSpec.parse(spec);
    }
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
