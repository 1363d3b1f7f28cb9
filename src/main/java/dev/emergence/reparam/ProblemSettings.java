package dev.emergence.reparam;

import dev.emergence.reparam.graph.GraphSpec;

/**
 * A problem's own settings: a record whose components are its options, each marked with the {@link
 * Flag} that sets it on the command line ({@code reparam --help} lists them under the problem's
 * name), checked in its constructor; it makes the problem.
 */
public interface ProblemSettings {
  /**
   * The problem on {@code spec} (a graph spec, or what else the problem reads); {@code seed} for
   * what the spec generates.
   */
  Problem create(String spec, long seed);

  /**
   * Checks a spec's syntax before any work (a graph spec unless the problem reads something else).
   */
  default void checkSpec(String spec) {
    GraphSpec.parse(spec);
  }
}
