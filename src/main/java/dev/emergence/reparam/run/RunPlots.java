package dev.emergence.reparam.run;

import dev.emergence.reparam.Problem;
import dev.emergence.reparam.Target;
import dev.emergence.reparam.Trace;
import dev.emergence.reparam.method.MethodKind;
import dev.emergence.reparam.method.MethodResult;
import dev.emergence.reparam.method.MethodRun;
import dev.emergence.report.Plots;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;

/**
 * The plots of one {@code reparam} run, from the median run of each method:
 *
 * <ul>
 *   <li>{@link #LOSS}: against wall time, the relative energy gap {@code (E - E*) / |E*|} (log y)
 *       where the optimum is known (heat, Kuramoto), else the loss E itself (homology; log y when
 *       positive), the target dashed;
 *   <li>{@code <title>_vs_time.png} where the problem watches a quantity (Kuramoto: {@code
 *       order_parameter_vs_time.png}): its measured values against wall time, its level dashed;
 *   <li>{@link #POINTS} where the variables are 2-D points (homology): the initial cloud and each
 *       method's final cloud, overlaid with distinct markers.
 * </ul>
 */
public final class RunPlots {
  public static final String LOSS = "loss_vs_time.png";
  public static final String POINTS = "points_before_after.png";

  private RunPlots() {}

  /**
   * The file a watched quantity's plot goes to: its title with underscores, then {@code
   * _vs_time.png}.
   */
  public static String watchedFile(Problem.Watched watched) {
    return watched.title().replace(' ', '_') + "_vs_time.png";
  }

  /** Writes every plot the run has into {@code dir}. */
  public static void write(ReparamRun.Outcome outcome, Path dir) {
    loss(outcome, dir.resolve(LOSS));
    Problem problem = outcome.problem();
    problem.watched().ifPresent(w -> watched(outcome, w, dir.resolve(watchedFile(w))));
    problem
        .points(problem.initialPoint(outcome.seed()))
        .ifPresent(initial -> points(outcome, initial, dir.resolve(POINTS)));
  }

  private static String name(MethodResult r) {
    return r.method() + " (" + r.optimizer() + ")";
  }

  private static String title(ReparamRun.Outcome outcome, String what) {
    return outcome.result().problem() + " on " + outcome.result().graph() + ": " + what;
  }

  /**
   * The relative gap to E* where known, else the loss itself, against wall time; the target dashed.
   */
  static void loss(ReparamRun.Outcome outcome, Path file) {
    ReparamRun.Result result = outcome.result();
    Double optimum = result.exactEnergy();
    Target target = outcome.target();
    Map<String, Plots.Series> series = new LinkedHashMap<>();
    List<double[]> all = new ArrayList<>();
    outcome
        .runs()
        .keySet()
        .forEach(
            method -> {
              MethodRun run = outcome.median(method);
              MethodResult r = run.result();
              Trace t = run.trace();
              List<double[]> points = new ArrayList<>();
              for (int i : t.sample(1500)) {
                double e = target.energyOf(t.gap(i));
                double y = optimum != null ? (e - optimum) / Math.abs(optimum) : e;
                if (Double.isFinite(y)) {
                  points.add(new double[] {t.seconds(i), y});
                }
              }
              all.addAll(points);
              series.put(name(r), series(points));
            });
    // log y where every value is positive (a relative gap of 0 or below is at the optimum: left
    // out)
    boolean logY = optimum != null || all.stream().allMatch(p -> p[1] > 0);
    series.replaceAll((name, s) -> logY ? positive(s) : s);
    series.values().removeIf(s -> s.x().length == 0);
    if (series.isEmpty()) {
      return;
    }
    XYChart chart =
        Plots.lines(
            title(outcome, optimum != null ? "relative energy gap" : "loss"),
            "wall time (s)",
            optimum != null ? "(E - E*) / |E*|" : "loss E",
            series,
            false,
            logY);
    double end = all.stream().mapToDouble(p -> p[0]).max().orElse(1);
    if (result.goal() == null && optimum != null) {
      Plots.level(
          chart,
          String.format(Locale.ROOT, "tolerance %.3g", result.tolerance()),
          result.tolerance(),
          0,
          end);
    } else if (optimum == null && (!logY || target.energy() > 0)) {
      Plots.level(
          chart,
          String.format(Locale.ROOT, "target %.6g", target.energy()),
          target.energy(),
          0,
          end);
    }
    Plots.savePng(chart, file);
  }

  /** The watched quantity where it was measured, against wall time; its level dashed. */
  static void watched(ReparamRun.Outcome outcome, Problem.Watched watched, Path file) {
    Map<String, Plots.Series> series = new LinkedHashMap<>();
    double end = 0;
    for (MethodKind method : outcome.runs().keySet()) {
      MethodResult r = outcome.median(method).result();
      Trace t = outcome.median(method).trace();
      List<double[]> points = new ArrayList<>();
      for (int i = 0; i < t.size(); i++) {
        if (t.hasWatched(i)) {
          points.add(new double[] {t.seconds(i), t.watched(i)});
        }
      }
      if (!points.isEmpty()) {
        series.put(name(r), series(points));
        end = Math.max(end, points.get(points.size() - 1)[0]);
      }
    }
    if (series.isEmpty()) {
      return;
    }
    String label = watched.title() + " " + watched.key();
    XYChart chart =
        Plots.lines(title(outcome, label), "wall time (s)", label, series, false, false);
    Plots.level(
        chart,
        String.format(Locale.ROOT, "target %s = %.3g", watched.key(), watched.level()),
        watched.level(),
        0,
        end);
    Plots.savePng(chart, file);
  }

  /** The initial points (of the first seed) and each method's final points (finite ones). */
  static void points(ReparamRun.Outcome outcome, double[][] initial, Path file) {
    Problem problem = outcome.problem();
    Map<String, Plots.Series> series = new LinkedHashMap<>();
    series.put("initial", cloud(initial));
    for (MethodKind method : outcome.runs().keySet()) {
      MethodRun run = outcome.median(method);
      series.put(
          name(run.result()) + ", final", cloud(problem.points(run.solution()).orElseThrow()));
    }
    Plots.savePng(Plots.scatter(title(outcome, "points before and after"), "x", "y", series), file);
  }

  private static Plots.Series cloud(double[][] points) {
    return series(
        Arrays.stream(points).filter(p -> Double.isFinite(p[0]) && Double.isFinite(p[1])).toList());
  }

  private static Plots.Series series(List<double[]> points) {
    return new Plots.Series(
        points.stream().mapToDouble(p -> p[0]).toArray(),
        points.stream().mapToDouble(p -> p[1]).toArray());
  }

  private static Plots.Series positive(Plots.Series s) {
    List<double[]> kept = new ArrayList<>();
    for (int i = 0; i < s.x().length; i++) {
      if (s.y()[i] > 0) {
        kept.add(new double[] {s.x()[i], s.y()[i]});
      }
    }
    return series(kept);
  }
}
