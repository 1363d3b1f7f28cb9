package dev.emergence.capacity;

import com.google.common.base.Preconditions;
import dev.emergence.report.AtomicFiles;
import dev.emergence.report.Json;
import dev.emergence.report.Plots;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Thresholds and transitions per setting and operator, comparisons of settings, and the plots of
 * accuracy and of the fraction of seeds that learn against parameters, from a sweep's results.
 */
public final class SweepAnalysis {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private SweepAnalysis() {}

  /** Accuracy points of one setting and operator, with the majority baseline. */
  public record Series(
      String setting, String operator, List<Thresholds.Point> points, double baseline) {}

  /** One model's accuracy on one operator, with that operator's majority baseline. */
  record Observation(String setting, String operator, Thresholds.Point point, double majority) {}

  /**
   * Groups results by setting (mix plus varying axes) and operator of the mix, in first-seen order.
   */
  public static List<Series> series(List<CellResult> results, Map<String, Boolean> varying) {
    List<Observation> observations = new ArrayList<>();
    for (CellResult r : results) {
      String setting = r.cell().setting(varying);
      r.accuracy()
          .forEach(
              (op, acc) ->
                  observations.add(
                      new Observation(
                          setting,
                          op,
                          new Thresholds.Point(r.params(), r.cell().seed(), acc),
                          r.majority().get(op))));
    }
    return group(observations);
  }

  /**
   * One series per setting and operator, in first-seen order; the baseline is the mean of the
   * models' majority baselines.
   */
  static List<Series> group(List<Observation> observations) {
    Map<List<String>, List<Observation>> bySeries = new LinkedHashMap<>();
    for (Observation o : observations) {
      bySeries.computeIfAbsent(List.of(o.setting(), o.operator()), k -> new ArrayList<>()).add(o);
    }
    List<Series> out = new ArrayList<>();
    bySeries.forEach(
        (key, os) ->
            out.add(
                new Series(
                    key.get(0),
                    key.get(1),
                    os.stream().map(Observation::point).toList(),
                    os.stream().mapToDouble(Observation::majority).average().orElse(0))));
    return out;
  }

  /** {@code thresholds.json}: setting -> operator -> threshold. */
  public static Map<String, Map<String, Thresholds.Threshold>> thresholds(
      List<Series> series, double target) {
    Map<String, Map<String, Thresholds.Threshold>> out = new LinkedHashMap<>();
    for (Series s : series) {
      out.computeIfAbsent(s.setting(), k -> new LinkedHashMap<>())
          .put(s.operator(), Thresholds.of(s.points(), s.baseline(), target));
    }
    return out;
  }

  /**
   * What {@link #analyze} computed: thresholds (with transitions) per setting and operator, and the
   * comparisons.
   */
  public record Analysis(
      Map<String, Map<String, Thresholds.Threshold>> thresholds, List<Comparison> comparisons) {}

  /**
   * Recomputes a sweep's statistics from its results without training: rewrites {@code
   * thresholds.json}, {@code accuracy_vs_params.png} and {@link #FRACTION_PLOT} in {@code dir},
   * each atomically, as the sweep writes them; {@code pairs} as in {@link #comparisons}. Pairs are
   * checked before anything is written.
   */
  public static Analysis analyze(
      List<CellResult> results, double target, List<Comparison.Pair> pairs, Path dir) {
    return analyzeSeries(
        series(results, SweepGrid.varying(results.stream().map(CellResult::cell).toList())),
        target,
        pairs,
        dir);
  }

  /**
   * {@link #analyze(List, double, List, Path)} for accuracy points that do not come from a sweep's
   * cells (the arms of curriculum runs).
   */
  public static Analysis analyzeSeries(
      List<Series> series, double target, List<Comparison.Pair> pairs, Path dir) {
    Map<String, Map<String, Thresholds.Threshold>> thresholds = thresholds(series, target);
    List<Comparison> comparisons = comparisons(thresholds, pairs);
    writeThresholds(thresholds, comparisons, dir.resolve(SweepRun.THRESHOLDS));
    plot(
        series,
        target,
        "Accuracy against parameters (median over seeds; dashed: target " + target + ")",
        dir.resolve(SweepRun.PLOT));
    plotFractionLearned(thresholds, target, dir.resolve(FRACTION_PLOT));
    return new Analysis(thresholds, comparisons);
  }

  /** {@code thresholds.json} with the comparisons of every two settings that share an operator. */
  public static void writeThresholds(
      Map<String, Map<String, Thresholds.Threshold>> thresholds, Path file) {
    writeThresholds(thresholds, comparisons(thresholds, List.of()), file);
  }

  /**
   * {@code thresholds.json}: setting -> operator -> threshold, and the top-level {@code
   * comparisons} list.
   */
  public static void writeThresholds(
      Map<String, Map<String, Thresholds.Threshold>> thresholds,
      List<Comparison> comparisons,
      Path file) {
    Map<String, Object> document = new LinkedHashMap<>(thresholds);
    document.put(COMPARISONS, comparisons);
    Json.write(file, document);
  }

  /**
   * The key of the comparisons in thresholds.json (beside the settings, which are mixes in
   * capitals).
   */
  public static final String COMPARISONS = "comparisons";

  /**
   * The comparisons of {@code pairs} in their order, or with no pairs, of every two settings that
   * share an operator ({@link #allPairs}); a pair naming a setting or operator the sweep does not
   * have fails in one line.
   */
  public static List<Comparison> comparisons(
      Map<String, Map<String, Thresholds.Threshold>> thresholds, List<Comparison.Pair> pairs) {
    List<Comparison> out = new ArrayList<>();
    for (Comparison.Pair pair : pairs.isEmpty() ? allPairs(thresholds) : pairs) {
      for (String setting : List.of(pair.a(), pair.b())) {
        Preconditions.checkArgument(
            thresholds.containsKey(setting),
            "--compare: no setting '%s' in this sweep (settings: %s)",
            setting,
            String.join("; ", thresholds.keySet()));
      }
      Map<String, Thresholds.Threshold> a = thresholds.get(pair.a());
      Map<String, Thresholds.Threshold> b = thresholds.get(pair.b());
      List<String> ops = a.keySet().stream().filter(b::containsKey).sorted().toList();
      Preconditions.checkArgument(
          pair.op() == null ? !ops.isEmpty() : ops.contains(pair.op()),
          "--compare: %s and %s share %s",
          pair.a(),
          pair.b(),
          pair.op() == null
              ? "no operator"
              : "no operator "
                  + pair.op()
                  + " (shared: "
                  + (ops.isEmpty() ? "none" : String.join(",", ops))
                  + ")");
      for (String op : pair.op() == null ? ops : List.of(pair.op())) {
        out.add(
            Comparison.of(op, pair.a(), a.get(op).transition(), pair.b(), b.get(op).transition()));
      }
    }
    return out;
  }

  /**
   * Every two settings that share an operator, in order of their names, each compared on every
   * operator both have. {@code a} is the setting with fewer operators, so the one-sided test asks
   * whether the larger mix learns at smaller sizes (the joint-training hypothesis); with as many,
   * the first by name.
   */
  static List<Comparison.Pair> allPairs(Map<String, Map<String, Thresholds.Threshold>> thresholds) {
    List<String> settings = thresholds.keySet().stream().sorted().toList();
    List<Comparison.Pair> pairs = new ArrayList<>();
    for (int i = 0; i < settings.size(); i++) {
      for (int j = i + 1; j < settings.size(); j++) {
        String first = settings.get(i);
        String second = settings.get(j);
        if (thresholds.get(first).keySet().stream()
            .noneMatch(thresholds.get(second)::containsKey)) {
          continue;
        }
        boolean swap = thresholds.get(second).size() < thresholds.get(first).size();
        pairs.add(new Comparison.Pair(swap ? second : first, swap ? first : second, null));
      }
    }
    return pairs;
  }

  /**
   * The most lines {@link #plotCurves} draws: past that one chart is unreadable (curves.csv has
   * them all).
   */
  public static final int MAX_CURVES = 24;

  /**
   * Validation accuracy against step, one line per model and operator, so delayed (grokking-like)
   * learning is visible; returns false (writing nothing) when there would be more than {@link
   * #MAX_CURVES} lines.
   */
  public static boolean plotCurves(List<CellResult> results, double target, Path file) {
    Map<String, Plots.Series> lines = new LinkedHashMap<>();
    for (CellResult r : results) {
      TreeMap<String, List<CellResult.CurvePoint>> byOperator = new TreeMap<>();
      r.curve()
          .forEach(
              p ->
                  p.accuracy()
                      .keySet()
                      .forEach(
                          op -> byOperator.computeIfAbsent(op, k -> new ArrayList<>()).add(p)));
      byOperator.forEach(
          (op, points) ->
              lines.put(
                  byOperator.size() == 1 ? r.cell().key() : r.cell().key() + ": " + op,
                  new Plots.Series(
                      points.stream().mapToDouble(CellResult.CurvePoint::step).toArray(),
                      points.stream().mapToDouble(p -> p.accuracy().get(op)).toArray())));
    }
    if (lines.isEmpty() || lines.size() > MAX_CURVES) {
      return false;
    }
    XYChart chart =
        Plots.lines(
            "Validation accuracy against step", "step", "validation accuracy", lines, false, false);
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
    double last = lines.values().stream().mapToDouble(l -> l.x()[l.x().length - 1]).max().orElse(1);
    Plots.level(chart, "target " + target, target, 0, last);
    Plots.savePng(chart, file);
    return true;
  }

  /**
   * Accuracy against parameters (log axis): one line per setting and operator through the median
   * over seeds, every seed as a faint point, the target as a horizontal line.
   */
  public static void plot(List<Series> series, double target, String title, Path file) {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(560)
            .title(title)
            .xAxisTitle("parameters")
            .yAxisTitle("test accuracy (pure expressions of the operator)")
            .build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setAnnotationLineColor(Color.GRAY);
    chart
        .getStyler()
        .setAnnotationLineStroke(
            new BasicStroke(
                1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    Color[] palette = {
      new Color(0x1f77b4),
      new Color(0xd62728),
      new Color(0x2ca02c),
      new Color(0xff7f0e),
      new Color(0x9467bd),
      new Color(0x8c564b),
      new Color(0xe377c2),
      new Color(0x17becf)
    };
    int i = 0;
    for (Series s : series) {
      Color color = palette[i++ % palette.length];
      TreeMap<Long, List<Double>> bySize = new TreeMap<>();
      s.points()
          .forEach(
              p -> bySize.computeIfAbsent(p.params(), k -> new ArrayList<>()).add(p.accuracy()));
      double[] x = bySize.keySet().stream().mapToDouble(Long::doubleValue).toArray();
      double[] median =
          bySize.values().stream()
              .mapToDouble(
                  v -> new Median().evaluate(v.stream().mapToDouble(Double::doubleValue).toArray()))
              .toArray();
      String name = label(s.setting(), s.operator());
      XYSeries line = chart.addSeries(name + " (median)", x, median);
      line.setLineColor(color);
      line.setMarkerColor(color);
      line.setMarker(SeriesMarkers.CIRCLE);
      XYSeries seeds =
          chart.addSeries(
              name + " (seeds)",
              s.points().stream().mapToDouble(p -> (double) p.params()).toArray(),
              s.points().stream().mapToDouble(Thresholds.Point::accuracy).toArray());
      seeds.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      seeds.setMarkerColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 90));
      seeds.setMarker(SeriesMarkers.DIAMOND);
      seeds.setShowInLegend(false);
    }
    chart.addAnnotation(new AnnotationLine(target, false, false)); // the target accuracy
    AtomicFiles.write(
        file,
        tmp -> {
          try (OutputStream out = Files.newOutputStream(tmp)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
          }
        });
  }

  /** Where {@link #plotFractionLearned} draws. */
  public static final String FRACTION_PLOT = "fraction_learned_vs_params.png";

  /**
   * The fraction of seeds that learned against parameters (log axis), one line per setting and
   * operator with its transition in the legend, a bar over each size's 90% Wilson interval, and 1/2
   * as a dashed line. Lines are shifted sideways by a few percent so that bars at one size stay
   * apart.
   */
  public static void plotFractionLearned(
      Map<String, Map<String, Thresholds.Threshold>> thresholds, double target, Path file) {
    Map<String, Plots.IntervalSeries> lines = new LinkedHashMap<>();
    int count = thresholds.values().stream().mapToInt(Map::size).sum();
    double shift = Math.min(0.02, 0.12 / count); // in ln(params), between neighbouring lines
    double[] range = {Double.POSITIVE_INFINITY, 0};
    thresholds.forEach(
        (setting, ops) ->
            ops.forEach(
                (op, threshold) -> {
                  Transition t = threshold.transition();
                  double factor = Math.exp(shift * (lines.size() - (count - 1) / 2.0));
                  double[] x =
                      t.fractionLearned().keySet().stream().mapToDouble(p -> p * factor).toArray();
                  double[] y =
                      t.fractionLearned().values().stream()
                          .mapToDouble(c -> (double) c[0] / c[1])
                          .toArray();
                  double[] low =
                      t.fractionCi90().values().stream().mapToDouble(ci -> ci[0]).toArray();
                  double[] high =
                      t.fractionCi90().values().stream().mapToDouble(ci -> ci[1]).toArray();
                  range[0] = Math.min(range[0], x[0]);
                  range[1] = Math.max(range[1], x[x.length - 1]);
                  String transition =
                      t.params() == null
                          ? ""
                          : String.format(Locale.ROOT, " (transition %,d)", t.params());
                  lines.put(
                      label(setting, op) + transition, new Plots.IntervalSeries(x, y, low, high));
                }));
    XYChart chart =
        Plots.intervals(
            "Fraction of seeds that learn (test accuracy >= "
                + target
                + "), with 90% Wilson intervals",
            "parameters",
            "fraction of seeds that learned",
            lines,
            true);
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
    Plots.level(chart, "1/2: the transition", 0.5, range[0], range[1]);
    Plots.savePng(chart, file);
  }

  /** A line's name: the operator, or the setting and the operator when they differ. */
  private static String label(String setting, String op) {
    return setting.equals(op) ? op : setting + ": " + op;
  }
}
