package dev.emergence.reparam.bench;

import dev.emergence.reparam.bench.Cells.Cell;
import dev.emergence.reparam.bench.Cells.Run;
import dev.emergence.reparam.method.MethodResult;
import dev.emergence.reparam.method.MethodResult.Arrival;
import dev.emergence.report.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The seed runs of a benchmark's cells one by one, and their spread per cell: where arriving
 * depends on the start (Kuramoto from the full circle) the median of a cell says little. seeds.csv
 * has one row per seed run (the search's first run is seed 0's); distribution.csv one row per cell
 * with how many runs arrived at the target, at the watched level (r >= 0.99) and at a local
 * minimum, the 10th, 50th and 90th percentiles of their iterations and seconds among the runs that
 * got there, and the mean and largest of each of the problem's measures (Kuramoto: vortices left).
 */
final class Distribution {
  private Distribution() {}

  /** The three ways a run can get somewhere, as named in the tables. */
  private static final List<String> ARRIVALS = List.of("tol", "watched_level", "local_minimum");

  static void write(List<Cell> cells, Path out) {
    TreeSet<String> measures = new TreeSet<>();
    cells.forEach(c -> c.seeds().forEach(r -> measures.addAll(measures(r.result()).keySet())));
    StringBuilder seeds =
        new StringBuilder(
            "graph,free_nodes,optimizer,method,seed,lr,stage2_lr,reached,stop,iterations_to_tol,wall_s_to_tol,"
                + "iterations_to_watched_level,wall_s_to_watched_level,iterations_to_local_minimum,wall_s_to_local_minimum,final_gap,final_goal,"
                + "iterations,wall_s,cpu_s");
    measures.forEach(m -> seeds.append(',').append(m));
    seeds.append('\n');
    StringBuilder spread = new StringBuilder("graph,free_nodes,optimizer,method,seeds");
    for (String a : ARRIVALS) {
      spread.append(
          String.format(
              ",reached_%1$s,iterations_to_%1$s_p10,iterations_to_%1$s_p50,iterations_to_%1$s_p90,"
                  + "wall_s_to_%1$s_p10,wall_s_to_%1$s_p50,wall_s_to_%1$s_p90",
              a));
    }
    measures.forEach(m -> spread.append(',').append(m).append("_mean,").append(m).append("_max"));
    spread.append('\n');
    for (Cell c : cells) {
      List<MethodResult> runs = c.seeds().stream().map(Run::result).toList();
      for (Run r : c.seeds()) {
        MethodResult m = r.result();
        seeds.append(
            String.join(
                ",",
                c.graph(),
                "" + c.freeNodes(),
                c.optimizer(),
                c.method().toString(),
                "" + r.seed(),
                Tables.fmt(r.lr()),
                Tables.fmt(r.stage2Lr()),
                "" + m.reached(),
                m.stop(),
                Tables.fmt(m.iterationsToTol()),
                Tables.fmt(m.wallSToTol()),
                Tables.fmt(iterations(m.watchedLevel())),
                Tables.fmt(seconds(m.watchedLevel())),
                Tables.fmt(iterations(m.localMinimum())),
                Tables.fmt(seconds(m.localMinimum())),
                Tables.fmt(m.finalGap()),
                Tables.fmt(m.finalGoal()),
                "" + m.iterations(),
                Tables.fmt(m.wallS()),
                Tables.fmt(m.cpuS())));
        measures.forEach(k -> seeds.append(',').append(Tables.fmt(measures(m).get(k))));
        seeds.append('\n');
      }
      spread.append(
          String.join(
              ",",
              c.graph(),
              "" + c.freeNodes(),
              c.optimizer(),
              c.method().toString(),
              "" + runs.size()));
      List<Function<MethodResult, Arrival>> arrivals =
          List.of(
              m -> m.reached() ? new Arrival(m.iterationsToTol(), m.wallSToTol()) : null,
              MethodResult::watchedLevel,
              MethodResult::localMinimum);
      for (Function<MethodResult, Arrival> arrival : arrivals) {
        List<Arrival> got = runs.stream().map(arrival).filter(Objects::nonNull).toList();
        double[] its = got.stream().mapToDouble(a -> a.iterations()).sorted().toArray();
        double[] wall = got.stream().mapToDouble(Arrival::wallS).sorted().toArray();
        spread.append(',').append(got.size());
        for (double[] values : List.of(its, wall)) {
          for (double q : new double[] {0.1, 0.5, 0.9}) {
            spread.append(',').append(Tables.fmt(percentile(values, q)));
          }
        }
      }
      for (String k : measures) {
        double[] values =
            runs.stream()
                .map(m -> measures(m).get(k))
                .filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue)
                .toArray();
        spread
            .append(',')
            .append(
                Tables.fmt(
                    values.length == 0 ? null : Arrays.stream(values).average().orElseThrow()))
            .append(',')
            .append(
                Tables.fmt(values.length == 0 ? null : Arrays.stream(values).max().orElseThrow()));
      }
      spread.append('\n');
    }
    AtomicFiles.write(out.resolve("seeds.csv"), seeds.toString().getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(
        out.resolve("distribution.csv"), spread.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** A cell's measures (none in cells written before they existed). */
  private static java.util.Map<String, Double> measures(MethodResult m) {
    return m.measures() == null ? java.util.Map.of() : m.measures();
  }

  private static Long iterations(Arrival a) {
    return a == null ? null : a.iterations();
  }

  private static Double seconds(Arrival a) {
    return a == null ? null : a.wallS();
  }

  /** The q-quantile of sorted values, the nearest rank at or above q (null for none). */
  static Double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return null;
    }
    int rank = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
  }
}
