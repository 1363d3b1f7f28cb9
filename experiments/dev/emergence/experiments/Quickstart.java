package dev.emergence.experiments;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.emergence.capacity.CellResult;
import dev.emergence.capacity.SweepRun;
import dev.emergence.capacity.SweepStore;
import dev.emergence.report.Json;
import dev.emergence.report.RunDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job with default settings, a few minutes on two cores: the capacity study's headline and
 * one result of each study, run through the same commands a researcher would type, each in a child
 * JVM whose own printout stays out of the quickstart's table.
 *
 * <ol>
 *   <li>{@code sweep} (E2, small): SUM alone against SUM trained jointly with MAX and MED,
 *       one-layer one-head transformers at d_model 6, 8 and 12 (around the sizes where the
 *       committed reference found SUM's thresholds), 3 seeds, 9000 steps, stacked; two shards in
 *       two child JVMs (one core each) while a third runs the {@code train} step, then merged; a
 *       table of SUM accuracy per seed and median, the grid thresholds and the
 *       accuracy-against-parameters plot;
 *   <li>{@code train}: a one-layer transformer learns MAX on nested ListOps expressions, exported
 *       as a SavedModel;
 *   <li>{@code reparam}: heat diffusion on a 128x128 grid, gradient descent on the temperatures
 *       against the sparse-Hessian GNN with Adam, to a relative energy gap of 1e-6.
 * </ol>
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description =
        "The main job: a small E2 sweep (SUM alone against MAX,MED,SUM), a ListOps transformer with a SavedModel and a heat-diffusion reparametrization; tables, plots and run directories.")
public final class Quickstart implements Callable<Integer> {
  /** The E2 sweep's two mixes and their keys in result.json. */
  static final String ALONE = "SUM";

  static final String JOINT = "MAX,MED,SUM";
  static final List<Integer> E2_D_MODELS = List.of(6, 12, 8);
  static final int E2_SEEDS = 3;
  static final double E2_TARGET = 0.9;

  /**
   * Shards of the E2 sweep, one child JVM each (one TensorFlow thread per shard): shard i takes the
   * stacks i, i + 2, ... of {@link #E2_D_MODELS}, ordered so that the two shards cost about the
   * same (d_model 6 and 8 against 12).
   */
  static final int E2_SHARDS = 2;

  /** TensorFlow's native log level, read once when its library loads. */
  static final String TF_LOG_LEVEL = "TF_CPP_MIN_LOG_LEVEL";

  private static final java.util.regex.Pattern ABSL_UNINITIALIZED =
      java.util.regex.Pattern.compile(
          "WARNING: All log messages before absl::InitializeLog\\(\\) is called are written to STDERR");
  private static final java.util.regex.Pattern MLIR_V1_DISABLED =
      java.util.regex.Pattern.compile(
          "I\\d{4} [0-9:. ]+ \\d+ mlir_graph_optimization_pass\\.cc:\\d+\\] MLIR V1 optimization pass is not enabled");

  @Mixin CommonOptions common = new CommonOptions();
  @Spec CommandSpec spec;

  @Option(
      names = "--e2-steps",
      description =
          "Training steps of each E2 model (default: ${DEFAULT-VALUE}, as the committed E2 reference; fewer do not show the effect).")
  int e2Steps = 9000;

  @Override
  public Integer call() {
    common.sessionConfig();
    Path out = common.outOr("quickstart");
    RunDirectory run = common.runDirectory("quickstart", false, false);
    Path shardsDir = out.resolve("e2-shards");
    List<List<String>> e2Shards = new ArrayList<>();
    for (int i = 0; i < E2_SHARDS; i++) {
      e2Shards.add(
          List.of(
              "sweep",
              "--mixes",
              ALONE + ";" + JOINT,
              "--d-models",
              E2_D_MODELS.stream().map(String::valueOf).collect(Collectors.joining(",")),
              "--layers",
              "1",
              "--heads",
              "1",
              "--depth",
              "1",
              "--seeds",
              e2Seeds(),
              "--steps",
              Integer.toString(e2Steps),
              "--eval-every",
              "250",
              "--target",
              Double.toString(E2_TARGET),
              "--shard",
              i + "/" + E2_SHARDS,
              "--out",
              shardsDir.resolve("shard-" + i).toString()));
    }
    List<String> e2Merge =
        List.of(
            "sweep",
            "--merge",
            shardsDir.resolve("shard-0").toString(),
            shardsDir.resolve("shard-1").toString(),
            "--out",
            out.resolve("e2").toString());
    List<String> listops =
        List.of(
            "train",
            "--tasks",
            "MAX",
            "--depth",
            "3",
            "--arity",
            "3",
            "--d-model",
            "32",
            "--layers",
            "1",
            "--heads",
            "2",
            "--steps",
            "1200",
            "--eval-every",
            "100",
            "--target",
            "0.985",
            "--patience",
            "2",
            "--train-size",
            "20000",
            "--val-size",
            "300",
            "--test-size",
            "1000",
            "--no-progress",
            "--out",
            out.resolve("listops-max").toString(),
            "--export",
            out.resolve("listops-max-model").toString());
    List<String> direct =
        List.of(
            "reparam",
            "--graph",
            "grid2d:128x128",
            "--methods",
            "direct",
            "--optimizer",
            "sgd",
            "--out",
            out.resolve("heat-direct-gd").toString());
    List<String> gnn =
        List.of(
            "reparam",
            "--graph",
            "grid2d:128x128",
            "--methods",
            "gnn",
            "--optimizer",
            "adam",
            "--out",
            out.resolve("heat-gnn-adam").toString());
    List<List<String>> heatSteps = List.of(direct, gnn);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("command", "quickstart");
    List<String> commands = new ArrayList<>();
    heatSteps.forEach(step -> commands.add(String.join(" ", withCommon(step))));
    e2Shards.forEach(
        shard ->
            commands.add(
                String.join(" ", withCommon(shard))
                    + "   (a child process, beside the next step)"));
    commands.add(String.join(" ", withCommon(listops)));
    commands.add(String.join(" ", withCommon(e2Merge)) + "   (once both shards have finished)");
    config.put("steps", commands);
    Result result;
    try {
      result = run.run(config, () -> steps(out, heatSteps, e2Shards, listops, e2Merge));
    } catch (StepFailed e) {
      return e.status;
    }

    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println();
    printE2(stdout, result.e2());
    stdout.println();
    ListOpsMax max = result.listopsMax();
    Heat heat = result.heat();
    stdout.printf("%-52s %12s %10s %8s%n", "result", "value", "reference", "wall_s");
    stdout.printf(
        "%-52s %12.3f %10.3f %8.1f%n",
        "ListOps MAX test accuracy (" + max.params() + " params) vs majority class",
        max.testAccuracy(),
        max.majorityBaseline(),
        max.wallS());
    stdout.printf(
        "%-52s %12s %10s %8.1f%n",
        "heat 128x128 to gap 1e-6: GNN + Adam, iterations",
        text(heat.gnnAdam().iterationsToTol()),
        "",
        heat.gnnAdam().wallS());
    stdout.printf(
        "%-52s %12s %10s %8.1f%n",
        "heat 128x128 to gap 1e-6: direct GD, iterations",
        text(heat.directGd().iterationsToTol()),
        "",
        heat.directGd().wallS());
    if (heat.speedupWall() != null) {
      stdout.printf(
          "%-52s %11.1fx %9.1fx%n",
          "GNN speedup: wall time, iterations", heat.speedupWall(), heat.speedupIterations());
    }
    stdout.println();
    stdout.println(
        "run directory: "
            + out
            + " (result.json; plots: e2/accuracy_vs_params.png, heat-*/loss_vs_time.png; SavedModel: listops-max-model)");
    stdout.println(
        "next: sweep --mixes \"SUM;MAX,MED,SUM\" --d-models 2,3,4,5,6,8,12,16 --seeds 5 --steps 9000 ..., curriculum, probe --model "
            + out.resolve("listops-max-model")
            + ", reparam-bench");
    stdout.flush();
    return 0;
  }

  /** A step that failed with its exit status: the quickstart ends with the same status. */
  private static final class StepFailed extends IllegalStateException {
    private final int status;

    StepFailed(int status, String reason) {
      super(reason);
      this.status = status;
    }
  }

  /** Runs every step and joins their results; a failed step throws {@link StepFailed}. */
  private Result steps(
      Path out,
      List<List<String>> heatSteps,
      List<List<String>> e2Shards,
      List<String> listops,
      List<String> e2Merge) {
    // Every step is a child JVM (TensorFlow's native logging is set before its library loads, and
    // the
    // step's own printout stays out of this table); the heat runs come first, alone on the machine,
    // so
    // their wall times are the ones a user would see.
    List<Child> children = new ArrayList<>();
    Thread stopChildren = new Thread(() -> children.forEach(Child::destroy));
    Runtime.getRuntime().addShutdownHook(stopChildren);
    long e2Start;
    try {
      for (List<String> step : heatSteps) {
        runStep(step, children);
      }
      // E2's two shards (d_model 6 and 8; d_model 12) each take a core in a child process while a
      // third trains MAX; then the shards are merged into e2/.
      e2Start = System.nanoTime();
      List<Child> shards = new ArrayList<>();
      for (List<String> shard : e2Shards) {
        shards.add(childJvm(withCommon(shard)));
      }
      children.addAll(shards);
      runStep(listops, children);
      for (int i = 0; i < shards.size(); i++) {
        int status = shards.get(i).waitFor();
        if (status != 0) {
          throw new StepFailed(
              status,
              "E2 shard "
                  + i
                  + " failed with status "
                  + status
                  + ": "
                  + String.join(" ", e2Shards.get(i)));
        }
      }
      runStep(e2Merge, children);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailed(1, "interrupted while a step ran");
    } finally {
      children.forEach(Child::destroy); // finished ones ignore it; after a failure the others stop
      Runtime.getRuntime().removeShutdownHook(stopChildren);
    }
    double e2Seconds = (System.nanoTime() - e2Start) / 1e9;

    Path e2Dir = out.resolve("e2");
    List<CellResult> cells =
        new SweepStore(e2Dir).all().stream().map(SweepStore.Saved::result).toList();
    E2 e2 = e2Summary(cells, Json.read(e2Dir.resolve(SweepRun.THRESHOLDS)), e2Steps, e2Seconds);
    JsonNode trained = Json.read(out.resolve("listops-max").resolve(RunDirectory.RESULT));
    ListOpsMax max =
        new ListOpsMax(
            trained.get("params").asLong(),
            trained.get("test_accuracy").get("MAX").asDouble(),
            trained.get("majority_baseline").get("MAX").asDouble(),
            trained.get("steps").asInt(),
            trained.get("wall_s").asDouble());
    Method direct =
        Method.of(
            Json.read(out.resolve("heat-direct-gd").resolve(RunDirectory.RESULT))
                .get("methods")
                .get("direct"));
    Method gnn =
        Method.of(
            Json.read(out.resolve("heat-gnn-adam").resolve(RunDirectory.RESULT))
                .get("methods")
                .get("gnn"));
    boolean bothReached = direct.reached() && gnn.reached();
    Heat heat =
        new Heat(
            "grid2d:128x128",
            1e-6,
            direct,
            gnn,
            bothReached ? direct.wallSToTol() / gnn.wallSToTol() : null,
            bothReached ? (double) direct.iterationsToTol() / gnn.iterationsToTol() : null);
    return new Result(e2, max, heat);
  }

  /**
   * result.json: the three studies' figures ({@code .ci/CheckQuickstart.java} reads them by these
   * keys).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder(alphabetic = true)
  record Result(E2 e2, ListOpsMax listopsMax, Heat heat) {}

  /**
   * E2: per mix ({@code sum_alone}, {@code joint}) and size ({@code d8}) the params, the SUM
   * accuracy of each seed (in seed order) and their median; the grid thresholds of SUM (the
   * smallest size from which the median stays at or above the target; null when none does).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder(alphabetic = true)
  record E2(
      double target,
      List<Long> seeds,
      Map<String, Size> sumAlone,
      Map<String, Size> joint,
      GridThresholds sumGridThresholdParams,
      int steps,
      double wallS) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder(alphabetic = true)
  record Size(int dModel, long params, List<Double> sumAccuracy, double sumMedian) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder(alphabetic = true)
  record GridThresholds(Long sumAlone, Long joint) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder(alphabetic = true)
  record ListOpsMax(
      long params, double testAccuracy, double majorityBaseline, int steps, double wallS) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder(alphabetic = true)
  record Heat(
      String graph,
      double tolerance,
      Method directGd,
      Method gnnAdam,
      Double speedupWall,
      Double speedupIterations) {}

  /**
   * One heat method's figures from its run's result.json ({@code wall_s} is printed, not recorded).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder(alphabetic = true)
  record Method(
      boolean reached,
      Long iterationsToTol,
      Double wallSToTol,
      Double finalGap,
      @JsonIgnore double wallS) {
    static Method of(JsonNode method) {
      return new Method(
          method.get("reached").asBoolean(),
          number(method, "iterations_to_tol") == null
              ? null
              : method.get("iterations_to_tol").asLong(),
          number(method, "wall_s_to_tol"),
          number(method, "final_gap"),
          method.get("wall_s").asDouble());
    }

    private static Double number(JsonNode method, String key) {
      JsonNode value = method.get(key);
      return value == null || value.isNull() ? null : value.asDouble();
    }
  }

  /** A step's JVM and the thread that copies its stderr to ours. */
  private record Child(Process process, Thread stderr) {
    /** The exit status, once all the child wrote to stderr has been copied. */
    int waitFor() throws InterruptedException {
      int status = process.waitFor();
      stderr.join();
      return status;
    }

    void destroy() {
      process.destroy();
    }
  }

  /**
   * Starts {@code args} as a command of this program in a new JVM ({@link #childJvmBuilder}); its
   * stderr is copied to ours without TensorFlow's two startup lines.
   */
  private static Child childJvm(List<String> args) {
    try {
      Process process = childJvmBuilder(args, System.getenv()).start();
      Thread copy =
          new Thread(
              () -> copyWithoutStartupLines(process.getErrorStream(), System.err),
              "stderr of " + args.get(0));
      copy.setDaemon(true);
      copy.start();
      return new Child(process, copy);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(
          "cannot start a JVM for: " + String.join(" ", args), e);
    }
  }

  /**
   * A JVM for {@code args} with this JVM's class path and heap settings and TensorFlow's native
   * logging quieted (at the level {@code ours}, our environment, sets, or 2: the variable is read
   * when the native library loads, so only a new process can have it); its stdout is dropped, as
   * the step's results are read from its run directory.
   */
  static ProcessBuilder childJvmBuilder(List<String> args, Map<String, String> ours) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("-X") || a.startsWith("-D"))
        .forEach(command::add);
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), Emergence.class.getName()));
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put(TF_LOG_LEVEL, ours.getOrDefault(TF_LOG_LEVEL, "2"));
    return builder;
  }

  /**
   * Copies {@code from} line by line to {@code to}, leaving out the two lines TensorFlow 2.18's
   * absl logger writes once per process before anything initializes it, whatever {@code
   * TF_CPP_MIN_LOG_LEVEL} says ({@code WARNING: All log messages before absl::InitializeLog()...}
   * and {@code I0000 ... mlir_graph_optimization_pass.cc:401] MLIR V1 optimization pass is not
   * enabled}).
   */
  static void copyWithoutStartupLines(java.io.InputStream from, java.io.PrintStream to) {
    try (var lines =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(from, java.nio.charset.StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (!ABSL_UNINITIALIZED.matcher(line).matches()
            && !MLIR_V1_DISABLED.matcher(line).matches()) {
          to.println(line);
        }
      }
    } catch (java.io.IOException e) {
      to.println("warning: lost a child process's stderr: " + e.getMessage());
    }
  }

  /**
   * The E2 seeds: --seed and the next two, so seed 0 (the default) gives the reference's seeds 0,
   * 1, 2.
   */
  private String e2Seeds() {
    List<String> seeds = new ArrayList<>();
    for (int i = 0; i < E2_SEEDS; i++) {
      seeds.add(Long.toString(common.seed + i));
    }
    return String.join(",", seeds);
  }

  /** The {@link E2} figures of a sweep's cells and its thresholds.json. */
  static E2 e2Summary(List<CellResult> cells, JsonNode thresholds, int steps, double wallS) {
    Map<String, Map<String, Size>> bySetting = new LinkedHashMap<>();
    Map<String, Long> grid = new LinkedHashMap<>();
    for (String mix : List.of(ALONE, JOINT)) {
      TreeMap<Integer, List<CellResult>> bySize = new TreeMap<>();
      cells.stream()
          .filter(c -> c.cell().mix().equals(mix))
          .forEach(c -> bySize.computeIfAbsent(c.cell().dModel(), d -> new ArrayList<>()).add(c));
      Map<String, Size> sizes = new LinkedHashMap<>();
      bySize.forEach(
          (d, models) -> {
            List<CellResult> bySeed =
                models.stream()
                    .sorted((a, b) -> Long.compare(a.cell().seed(), b.cell().seed()))
                    .toList();
            double[] sum = bySeed.stream().mapToDouble(c -> c.accuracy().get("SUM")).toArray();
            sizes.put(
                "d" + d,
                new Size(
                    d,
                    bySeed.get(0).params(),
                    java.util.Arrays.stream(sum).boxed().toList(),
                    new Median().evaluate(sum)));
          });
      bySetting.put(mix, sizes);
      JsonNode threshold = thresholds.path(mix).path("SUM").path("grid_threshold_params");
      grid.put(mix, threshold.isNumber() ? threshold.asLong() : null);
    }
    List<Long> seeds = cells.stream().map(c -> c.cell().seed()).distinct().sorted().toList();
    return new E2(
        E2_TARGET,
        seeds,
        bySetting.get(ALONE),
        bySetting.get(JOINT),
        new GridThresholds(grid.get(ALONE), grid.get(JOINT)),
        steps,
        wallS);
  }

  static void printE2(PrintWriter out, E2 e2) {
    out.printf(
        "E2: SUM test accuracy, SUM alone against MAX,MED,SUM jointly (1 layer, 1 head, %s steps; seeds %s)%n",
        e2.steps(), e2.seeds().stream().map(String::valueOf).collect(Collectors.joining(" ")));
    out.printf(
        "%-16s %-22s %7s   %-22s %7s%n",
        "params (d_model)", "SUM alone", "median", "MAX,MED,SUM", "median");
    for (String d : e2.sumAlone().keySet()) {
      Size a = e2.sumAlone().get(d);
      Size j = e2.joint().get(d);
      out.printf(
          "%-16s %-22s %7.2f   %-22s %7.2f%n",
          a.params() + " (" + a.dModel() + ")",
          seeds(a),
          a.sumMedian(),
          j == null ? "-" : seeds(j),
          j == null ? Double.NaN : j.sumMedian());
    }
    out.printf(
        "grid threshold of SUM (median >= %s from there up): SUM alone %s, MAX,MED,SUM %s%n",
        e2.target(),
        orNone(e2.sumGridThresholdParams().sumAlone()),
        orNone(e2.sumGridThresholdParams().joint()));
  }

  private static String seeds(Size size) {
    return size.sumAccuracy().stream()
        .map(v -> String.format("%.2f", v))
        .collect(Collectors.joining(" "));
  }

  private static String orNone(Object value) {
    return value == null ? "none (no size reached it)" : value + " params";
  }

  /**
   * Runs one command in a child JVM (one of {@code children}); a failure has said what went wrong
   * in its own one line.
   */
  private void runStep(List<String> step, List<Child> children) throws InterruptedException {
    Child child = childJvm(withCommon(step));
    children.add(child);
    int status = child.waitFor();
    if (status != 0) {
      throw new StepFailed(
          status, "step failed with status " + status + ": " + String.join(" ", step));
    }
  }

  private List<String> withCommon(List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.addAll(
        List.of(
            "--seed",
            Long.toString(common.seed),
            "--threads",
            Integer.toString(common.threads),
            "--device",
            common.device.toString().toLowerCase(java.util.Locale.ROOT)));
    if (!common.tensorboard()) {
      all.add("--no-tensorboard");
    }
    return all;
  }

  private static String text(Long iterations) {
    return iterations == null ? "not reached" : iterations.toString();
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new Quickstart(), args);
  }
}
