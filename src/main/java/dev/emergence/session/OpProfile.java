package dev.emergence.session;

import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;

/**
 * Where traced runs spent their time ({@link GraphSession#profile}): the summed op time per op type
 * and per single op, from the step stats of {@code RunOptions} FULL_TRACE runs.
 */
public final class OpProfile {
  /** Summed time and number of executions of one op type, or of one op. */
  public record Entry(String name, long micros, int count) {}

  private final Map<String, Entry> byType = new TreeMap<>();
  private final Map<String, Entry> byOp = new TreeMap<>();
  private int runs;
  private long wallNanos;

  void add(RunMetadata metadata, long nanos) {
    runs++;
    wallNanos += nanos;
    for (DeviceStepStats device : metadata.getStepStats().getDevStatsList()) {
      for (NodeExecStats node : device.getNodeStatsList()) {
        String label = node.getTimelineLabel();
        // Labels look like "name = Type(inputs)".
        String type =
            label.contains("= ")
                ? label.split("= ", -1)[1].split("\\(", -1)[0]
                : node.getNodeName();
        merge(byType, type, node.getAllEndRelMicros());
        merge(byOp, type + " " + node.getNodeName() + " " + label, node.getAllEndRelMicros());
      }
    }
  }

  private static void merge(Map<String, Entry> map, String key, long micros) {
    map.merge(
        key,
        new Entry(key, micros, 1),
        (a, b) -> new Entry(key, a.micros() + b.micros(), a.count() + b.count()));
  }

  public int runs() {
    return runs;
  }

  /** Op types, slowest first. */
  public List<Entry> types() {
    return slowestFirst(byType);
  }

  /** Single ops (type, name and timeline label), slowest first. */
  public List<Entry> ops() {
    return slowestFirst(byOp);
  }

  private static List<Entry> slowestFirst(Map<String, Entry> map) {
    return map.values().stream()
        .sorted(Comparator.comparingLong(Entry::micros).reversed())
        .toList();
  }

  /**
   * Prints per run: wall and op time, the {@code topTypes} slowest op types and the {@code topOps}
   * slowest ops.
   */
  public void print(PrintWriter out, int topTypes, int topOps) {
    long total = byType.values().stream().mapToLong(Entry::micros).sum();
    int count = byType.values().stream().mapToInt(Entry::count).sum();
    out.printf(
        "profile: %d traced steps, %.2f ms/step wall (tracing adds overhead), op time %.2f ms/step, %d ops/step%n",
        runs, wallNanos / 1e6 / runs, total / 1e3 / runs, count / runs);
    for (Entry e : types().subList(0, Math.min(topTypes, byType.size()))) {
      out.printf(
          "  %-34s %8.3f ms/step %5d ops/step%n",
          e.name(), e.micros() / 1e3 / runs, e.count() / runs);
    }
    out.println("profile: slowest ops");
    for (Entry e : ops().subList(0, Math.min(topOps, byOp.size()))) {
      out.printf("  %8.3f ms/step  %s%n", e.micros() / 1e3 / runs, e.name());
    }
    out.flush();
  }
}
