package dev.emergence.capacity;

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
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Thresholds per setting and operator, and the accuracy-against-parameters plot, from a sweep's results. */
public final class SweepAnalysis {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private SweepAnalysis() {}

  /** Accuracy points of one setting and operator, with the majority baseline. */
  public record Series(String setting, String operator, List<Thresholds.Point> points, double baseline) {}

  /** Groups results by setting (mix plus varying axes) and operator of the mix, in first-seen order. */
  public static List<Series> series(List<CellResult> results, Map<String, Boolean> varying) {
    Map<String, List<Thresholds.Point>> points = new LinkedHashMap<>();
    Map<String, List<Double>> baselines = new LinkedHashMap<>();
    for (CellResult r : results) {
      String setting = r.cell().setting(varying);
      r.accuracy().forEach((op, acc) -> {
        String key = setting + "\u0000" + op;
        points.computeIfAbsent(key, k -> new ArrayList<>()).add(new Thresholds.Point(r.params(), r.cell().seed(), acc));
        baselines.computeIfAbsent(key, k -> new ArrayList<>()).add(r.majority().get(op));
      });
    }
    List<Series> out = new ArrayList<>();
    points.forEach((key, p) -> {
      String[] parts = key.split("\u0000");
      double baseline = baselines.get(key).stream().mapToDouble(Double::doubleValue).average().orElse(0);
      out.add(new Series(parts[0], parts[1], p, baseline));
    });
    return out;
  }

  /** {@code thresholds.json}: setting -> operator -> threshold. */
  public static Map<String, Map<String, Thresholds.Threshold>> thresholds(List<Series> series, double target) {
    Map<String, Map<String, Thresholds.Threshold>> out = new LinkedHashMap<>();
    for (Series s : series) {
      out.computeIfAbsent(s.setting(), k -> new LinkedHashMap<>()).put(s.operator(), Thresholds.of(s.points(), s.baseline(), target));
    }
    return out;
  }

  public static void writeThresholds(Map<String, Map<String, Thresholds.Threshold>> thresholds, Path file) {
    Json.write(file, thresholds);
  }

  /** The most lines {@link #plotCurves} draws: past that one chart is unreadable (curves.csv has them all). */
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
      r.curve().forEach(p -> p.accuracy().keySet().forEach(op -> byOperator.computeIfAbsent(op, k -> new ArrayList<>()).add(p)));
      byOperator.forEach((op, points) -> lines.put(byOperator.size() == 1 ? r.cell().key() : r.cell().key() + ": " + op,
          new Plots.Series(points.stream().mapToDouble(CellResult.CurvePoint::step).toArray(),
              points.stream().mapToDouble(p -> p.accuracy().get(op)).toArray())));
    }
    if (lines.isEmpty() || lines.size() > MAX_CURVES) {
      return false;
    }
    XYChart chart = Plots.lines("Validation accuracy against step", "step", "validation accuracy", lines, false, false);
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
    double last = lines.values().stream().mapToDouble(l -> l.x()[l.x().length - 1]).max().orElse(1);
    Plots.level(chart, "target " + target, target, 0, last);
    Plots.savePng(chart, file);
    return true;
  }

  /**
   * Accuracy against parameters (log axis): one line per setting and operator through the median over
   * seeds, every seed as a faint point, the target as a horizontal line.
   */
  public static void plot(List<Series> series, double target, String title, Path file) {
    XYChart chart = new XYChartBuilder().width(900).height(560).title(title)
        .xAxisTitle("parameters").yAxisTitle("test accuracy (pure expressions of the operator)").build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setAnnotationLineColor(Color.GRAY);
    chart.getStyler().setAnnotationLineStroke(
        new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    Color[] palette = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};
    int i = 0;
    for (Series s : series) {
      Color color = palette[i++ % palette.length];
      TreeMap<Long, List<Double>> bySize = new TreeMap<>();
      s.points().forEach(p -> bySize.computeIfAbsent(p.params(), k -> new ArrayList<>()).add(p.accuracy()));
      double[] x = bySize.keySet().stream().mapToDouble(Long::doubleValue).toArray();
      double[] median = bySize.values().stream()
          .mapToDouble(v -> new Median().evaluate(v.stream().mapToDouble(Double::doubleValue).toArray())).toArray();
      String name = s.setting().equals(s.operator()) ? s.operator() : s.setting() + ": " + s.operator();
      XYSeries line = chart.addSeries(name + " (median)", x, median);
      line.setLineColor(color);
      line.setMarkerColor(color);
      line.setMarker(SeriesMarkers.CIRCLE);
      XYSeries seeds = chart.addSeries(name + " (seeds)",
          s.points().stream().mapToDouble(p -> (double) p.params()).toArray(),
          s.points().stream().mapToDouble(Thresholds.Point::accuracy).toArray());
      seeds.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      seeds.setMarkerColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 90));
      seeds.setMarker(SeriesMarkers.DIAMOND);
      seeds.setShowInLegend(false);
    }
    chart.addAnnotation(new AnnotationLine(target, false, false)); // the target accuracy
    AtomicFiles.write(file, tmp -> {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
      }
    });
  }
}
