package dev.emergence.probe;

import dev.emergence.listops.Domain;
import dev.emergence.report.AtomicFiles;
import java.awt.Color;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntUnaryOperator;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code pca.png} (the numbers on their first two principal components, labelled with their value,
 * coloured by parity, each axis titled with its share of the variance) and {@code cosine.png} (the
 * cosine-similarity matrix as a heat map): one panel per model, side by side.
 */
public final class ProbeFigures {
  public static final String PCA = "pca.png";
  public static final String COSINE = "cosine.png";
  private static final Color EVEN = new Color(31, 119, 180);
  private static final Color ODD = new Color(214, 39, 40);

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private ProbeFigures() {}

  /** Writes both figures into {@code dir}, one panel per (title, result). */
  public static void write(Path dir, List<String> titles, List<ProbeResult> results) {
    List<XYChart> pca = new ArrayList<>();
    List<HeatMapChart> cosine = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      pca.add(pca(titles.get(i), results.get(i)));
      cosine.add(cosine(titles.get(i), results.get(i)));
    }
    save(pca, dir.resolve(PCA));
    save(cosine, dir.resolve(COSINE));
  }

  static XYChart pca(String title, ProbeResult r) {
    double[] ev = r.explainedVariance();
    Domain domain = r.task().domain();
    IntUnaryOperator parity = Prober.parity(domain);
    XYChart chart =
        new XYChartBuilder()
            .width(640)
            .height(560)
            .title(
                String.format(
                    Locale.ROOT, "%s: %s embeddings (order %.2f)", title, leaves(r), r.order()))
            .xAxisTitle(
                String.format(
                    Locale.ROOT, "PC1 (%.1f%% of variance)", 100 * (ev.length > 0 ? ev[0] : 0)))
            .yAxisTitle(
                String.format(
                    Locale.ROOT, "PC2 (%.1f%% of variance)", 100 * (ev.length > 1 ? ev[1] : 0)))
            .build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setMarkerSize(10);
    int n = r.pc1().length;
    for (int p = 0; p < 2; p++) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int v = 0; v < n; v++) {
        if (parity.applyAsInt(v) == p) {
          xs.add(r.pc1()[v]);
          ys.add(r.pc2()[v]);
        }
      }
      if (xs.isEmpty()) {
        continue;
      }
      XYSeries s = chart.addSeries(p == 0 ? "even" : "odd", xs, ys);
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setMarkerColor(p == 0 ? EVEN : ODD);
    }
    // labels a little above each point
    double span = 0;
    for (double y : r.pc2()) {
      span = Math.max(span, Math.abs(y));
    }
    double offset = span == 0 ? 0.05 : span * 0.06;
    for (int v = 0; v < n; v++) {
      chart.addAnnotation(
          new AnnotationText(domain.token(v), r.pc1()[v], r.pc2()[v] + offset, false));
    }
    return chart;
  }

  static HeatMapChart cosine(String title, ProbeResult r) {
    double[][] c = r.cosine();
    int n = c.length;
    HeatMapChart chart =
        new HeatMapChartBuilder()
            .width(640)
            .height(560)
            .title(title + ": cosine similarity of " + leaves(r) + " embeddings")
            .xAxisTitle(r.task().group() == null ? "number" : "element (in lexicographic order)")
            .yAxisTitle(r.task().group() == null ? "number" : "element (in lexicographic order)")
            .build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    // XChart 3.8.8 indexes past its colour list at exactly the maximum: keep values inside the
    // range
    chart.getStyler().setMin(-1.0001).setMax(1.0001);
    chart
        .getStyler()
        .setRangeColors(new Color[] {new Color(33, 102, 172), Color.WHITE, new Color(178, 24, 43)});
    chart.getStyler().setShowValue(n <= 12);
    chart.getStyler().setHeatMapValueDecimalPattern("0.00");
    List<Integer> axis = new ArrayList<>();
    for (int v = 0; v < n; v++) {
      axis.add(v);
    }
    List<Number[]> cells = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        cells.add(new Number[] {i, j, Math.max(-1.0, Math.min(1.0, c[i][j]))});
      }
    }
    chart.addSeries("cosine", axis, axis, cells);
    return chart;
  }

  /** What the leaves are: "number", or "S3 element". */
  private static String leaves(ProbeResult r) {
    return r.task().group() == null ? "number" : r.task().group() + " element";
  }

  private static <C extends Chart<?, ?>> void save(List<C> charts, Path file) {
    AtomicFiles.write(
        file,
        tmp -> {
          try (OutputStream out = Files.newOutputStream(tmp)) {
            if (charts.size() == 1) {
              BitmapEncoder.saveBitmap(charts.get(0), out, BitmapEncoder.BitmapFormat.PNG);
            } else {
              BitmapEncoder.saveBitmap(
                  charts, 1, charts.size(), out, BitmapEncoder.BitmapFormat.PNG);
            }
          }
        });
  }
}
