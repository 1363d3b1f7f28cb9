package dev.emergence.report;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line and scatter plots saved as PNG (atomically), headless. */
public final class Plots {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Plots() {}

  /** One series: x and y values of equal length. */
  // Arrays by design: XChart takes double[] series directly.
  @SuppressWarnings("ArrayRecordComponent")
  public record Series(double[] x, double[] y) {}

  /** A chart of named series; {@code logX}/{@code logY} choose logarithmic axes. */
  public static XYChart lines(
      String title,
      String xLabel,
      String yLabel,
      Map<String, Series> series,
      boolean logX,
      boolean logY) {
    XYChart chart =
        new XYChartBuilder()
            .width(800)
            .height(500)
            .title(title)
            .xAxisTitle(xLabel)
            .yAxisTitle(yLabel)
            .build();
    chart.getStyler().setXAxisLogarithmic(logX).setYAxisLogarithmic(logY);
    if (logY) {
      chart
          .getStyler()
          .setYAxisDecimalPattern(
              "0.####"); // the default pattern leaves decades below 1 unlabelled
    }
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    series.forEach(
        (name, s) -> {
          XYSeries line = chart.addSeries(name, s.x(), s.y());
          line.setMarker(s.x().length > 50 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        });
    return chart;
  }

  /** One series with an interval per point: at x, the value y and its interval from low to high. */
  // Arrays by design: XChart takes double[] series directly.
  @SuppressWarnings("ArrayRecordComponent")
  public record IntervalSeries(double[] x, double[] y, double[] low, double[] high) {}

  /**
   * A chart of named series, each a line through its points with a vertical bar over every point's
   * interval, bars and line in one colour (XChart's sequence); {@code logX} chooses a logarithmic x
   * axis.
   */
  public static XYChart intervals(
      String title,
      String xLabel,
      String yLabel,
      Map<String, IntervalSeries> series,
      boolean logX) {
    XYChart chart =
        new XYChartBuilder()
            .width(1100)
            .height(600)
            .title(title)
            .xAxisTitle(xLabel)
            .yAxisTitle(yLabel)
            .build();
    chart.getStyler().setXAxisLogarithmic(logX);
    if (logX) { // ticks between decades too (a tick-label function would hang XChart 3.8.8 on a log
      // axis)
      chart
          .getStyler()
          .setXAxisLogarithmicDecadeOnly(false)
          .setXAxisDecimalPattern("#")
          .setAxisTickLabelsFont(chart.getStyler().getAxisTickLabelsFont().deriveFont(10f));
    }
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    // the bars are series of their own, so each line takes its colour, marker and dash from the
    // theme here
    java.awt.Color[] colors = chart.getStyler().getSeriesColors();
    org.knowm.xchart.style.markers.Marker[] markers = chart.getStyler().getSeriesMarkers();
    java.awt.BasicStroke[] dashes = chart.getStyler().getSeriesLines();
    int i = 0;
    for (Map.Entry<String, IntervalSeries> entry : series.entrySet()) {
      java.awt.Color color = colors[i % colors.length];
      IntervalSeries s = entry.getValue();
      XYSeries line = chart.addSeries(entry.getKey(), s.x(), s.y());
      line.setLineColor(color);
      line.setMarkerColor(color);
      line.setMarker(markers[i % markers.length]);
      line.setLineStyle(dashes[i % dashes.length]);
      i++;
      for (int k = 0; k < s.x().length; k++) {
        XYSeries bar =
            chart.addSeries(
                entry.getKey() + " [interval " + k + "]",
                new double[] {s.x()[k], s.x()[k]},
                new double[] {s.low()[k], s.high()[k]});
        bar.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        bar.setLineColor(color);
        bar.setLineStyle(SeriesLines.SOLID);
        bar.setMarker(SeriesMarkers.NONE);
        bar.setShowInLegend(false);
      }
    }
    return chart;
  }

  /**
   * A chart of named point sets, each with its own marker and colour (XChart's sequence), no lines.
   */
  public static XYChart scatter(
      String title, String xLabel, String yLabel, Map<String, Series> series) {
    XYChart chart =
        new XYChartBuilder()
            .width(800)
            .height(700)
            .title(title)
            .xAxisTitle(xLabel)
            .yAxisTitle(yLabel)
            .build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setMarkerSize(6);
    series.forEach((name, s) -> chart.addSeries(name, s.x(), s.y()));
    return chart;
  }

  /**
   * Adds a dashed grey horizontal line at {@code y} from {@code fromX} to {@code toX}, named in the
   * legend.
   */
  public static void level(XYChart chart, String name, double y, double fromX, double toX) {
    XYSeries line = chart.addSeries(name, new double[] {fromX, toX}, new double[] {y, y});
    line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    line.setMarker(SeriesMarkers.NONE);
    line.setLineStyle(SeriesLines.DASH_DASH);
    line.setLineColor(java.awt.Color.GRAY);
  }

  /** Writes the chart as PNG at {@code file} (which should end in .png). */
  public static void savePng(XYChart chart, Path file) {
    AtomicFiles.write(
        file,
        tmp -> {
          try (OutputStream out = Files.newOutputStream(tmp)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
          }
        });
  }
}
