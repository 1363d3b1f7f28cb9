package dev.emergence.experiments;

import dev.emergence.capacity.Comparison;
import dev.emergence.capacity.Thresholds;
import dev.emergence.capacity.Transition;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The tables sweep and analyze print: thresholds, transitions and comparisons per setting and
 * operator.
 */
final class ThresholdsTable {
  private ThresholdsTable() {}

  static void print(
      PrintWriter out,
      Map<String, Map<String, Thresholds.Threshold>> thresholds,
      List<Comparison> comparisons) {
    out.printf("%-28s %-6s %12s %18s %12s%n", "setting", "op", "threshold", "90% interval", "grid");
    thresholds.forEach(
        (setting, ops) ->
            ops.forEach(
                (op, t) ->
                    out.printf(
                        "%-28s %-6s %12s %18s %12s%s%n",
                        setting,
                        op,
                        t.thresholdParams() == null ? "-" : t.thresholdParams(),
                        t.thresholdParamsCi() == null
                            ? "-"
                            : t.thresholdParamsCi()[0]
                                + ".."
                                + (t.thresholdParamsCi()[1] == Long.MAX_VALUE
                                    ? "inf"
                                    : t.thresholdParamsCi()[1]),
                        t.gridThresholdParams() == null ? "-" : t.gridThresholdParams(),
                        t.reason() == null ? "" : "  (" + t.reason() + ")")));
    out.println();
    out.println(
        "transition: where P(learn) crosses 1/2 (logistic in ln(params), Firth fit to every seed; 90% bootstrap interval)");
    out.printf(
        "%-28s %-6s %12s %18s  %s%n",
        "setting", "op", "transition", "90% interval", "params:learned/seeds");
    thresholds.forEach(
        (setting, ops) ->
            ops.forEach(
                (op, t) -> {
                  Transition tr = t.transition();
                  out.printf(
                      "%-28s %-6s %12s %18s  %s%s%n",
                      setting,
                      op,
                      tr.params() == null ? "-" : tr.params(),
                      tr.ci90() == null
                          ? "-"
                          : text(tr.ci90()[0], "0") + ".." + text(tr.ci90()[1], "inf"),
                      tr.fractionLearned().entrySet().stream()
                          .map(e -> e.getKey() + ":" + e.getValue()[0] + "/" + e.getValue()[1])
                          .collect(Collectors.joining(" ")),
                      tr.reason() == null ? "" : "  (" + tr.reason() + ")");
                }));
    if (comparisons.isEmpty()) {
      return;
    }
    out.println();
    out.println(
        "comparisons: ratio = a's transition / b's; p: one-sided exact permutation test that b learns at smaller sizes");
    out.printf("%-6s %-28s %-28s %7s %16s %7s%n", "op", "a", "b", "ratio", "90% interval", "p");
    for (Comparison c : comparisons) {
      out.printf(
          "%-6s %-28s %-28s %7s %16s %7s%s%n",
          c.op(),
          c.a(),
          c.b(),
          c.ratio() == null ? "-" : String.format(Locale.ROOT, "%.2f", c.ratio()),
          c.ratioCi90() == null
              ? "-"
              : text(c.ratioCi90()[0], "0") + ".." + text(c.ratioCi90()[1], "inf"),
          c.pValue() == null ? "-" : Comparison.formatP(c.pValue()),
          c.reason() == null ? "" : "  (" + c.reason() + ")");
    }
  }

  /** A bound, or {@code unbounded} for a null end (beyond the sizes run). */
  private static String text(Number bound, String unbounded) {
    return bound == null
        ? unbounded
        : bound instanceof Double d ? String.format(Locale.ROOT, "%.2f", d) : bound.toString();
  }
}
