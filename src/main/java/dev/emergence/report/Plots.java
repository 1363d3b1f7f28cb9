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
  public record Series(double[] x, double[] y) {}

  /** A chart of named series; {@code logX}/{@code logY} choose logarithmic axes. */
  public static XYChart lines(
      String title, String xLabel, String yLabel, Map<String, Series> series, boolean logX, boolean logY) {
    XYChart chart =
        new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    chart.getStyler().setXAxisLogarithmic(logX).setYAxisLogarithmic(logY);
    if (logY) {
      chart.getStyler().setYAxisDecimalPattern("0.####"); // the default pattern leaves decades below 1 unlabelled
    }
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    series.forEach(
        (name, s) -> {
          XYSeries line = chart.addSeries(name, s.x(), s.y());
          line.setMarker(s.x().length > 50 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        });
    return chart;
  }

  /** A chart of named point sets, each with its own marker and colour (XChart's sequence), no lines. */
  public static XYChart scatter(String title, String xLabel, String yLabel, Map<String, Series> series) {
    XYChart chart =
        new XYChartBuilder().width(800).height(700).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setMarkerSize(6);
    series.forEach((name, s) -> chart.addSeries(name, s.x(), s.y()));
    return chart;
  }

  /** Adds a dashed grey horizontal line at {@code y} from {@code fromX} to {@code toX}, named in the legend. */
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
