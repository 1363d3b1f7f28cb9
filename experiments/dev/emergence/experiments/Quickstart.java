package dev.emergence.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emergence.optim.Adam;
import dev.emergence.report.Json;
import dev.emergence.report.RunDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The main job with default settings, about a minute on two cores: one result from each study, run
 * through the same commands a researcher would type.
 *
 * <ol>
 *   <li>{@code train}: a one-layer transformer learns MAX on nested ListOps expressions, exported as a
 *       SavedModel;
 *   <li>{@code reparam}: heat diffusion on a 128x128 grid, gradient descent on the temperatures
 *       against the sparse-Hessian GNN with Adam, to a relative energy gap of 1e-6.
 * </ol>
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description = "The main job: train a small ListOps transformer and run a heat-diffusion reparametrization; a table, plots and run directories.")
public final class Quickstart implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    common.sessionConfig();
    Path out = common.outOr("quickstart");
    RunDirectory run = common.runDirectory("quickstart", false, false);
    List<String> listops =
        List.of("train", "--tasks", "MAX", "--depth", "3", "--arity", "3", "--d-model", "32", "--layers", "1",
            "--heads", "2", "--steps", "1200", "--eval-every", "100", "--target", "0.985", "--patience", "2",
            "--train-size", "20000", "--val-size", "300", "--test-size", "1000", "--no-progress",
            "--out", out.resolve("listops-max").toString(), "--export", out.resolve("listops-max-model").toString());
    List<String> direct =
        List.of("reparam", "--graph", "grid2d:128x128", "--methods", "direct", "--optimizer", "sgd",
            "--out", out.resolve("heat-direct-gd").toString());
    List<String> gnn =
        List.of("reparam", "--graph", "grid2d:128x128", "--methods", "gnn", "--optimizer", "adam",
            "--out", out.resolve("heat-gnn-adam").toString());
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("command", "quickstart");
    config.put("steps", List.of(String.join(" ", withCommon(listops)), String.join(" ", withCommon(direct)), String.join(" ", withCommon(gnn))));
    run.start(config);

    for (List<String> step : List.of(listops, direct, gnn)) {
      int status = Emergence.commandLine().execute(withCommon(step).toArray(String[]::new));
      if (status != 0) { // the step has said what went wrong, in its own one line
        run.fail("step failed with status " + status + ": " + String.join(" ", step));
        return status;
      }
    }

    JsonNode trained = Json.read(out.resolve("listops-max").resolve(RunDirectory.RESULT));
    JsonNode directRun = Json.read(out.resolve("heat-direct-gd").resolve(RunDirectory.RESULT)).get("methods").get("direct");
    JsonNode gnnRun = Json.read(out.resolve("heat-gnn-adam").resolve(RunDirectory.RESULT)).get("methods").get("gnn");
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("listops_max", Map.of(
        "params", trained.get("params").asLong(),
        "test_accuracy", trained.get("test_accuracy").get("MAX").asDouble(),
        "majority_baseline", trained.get("majority_baseline").get("MAX").asDouble(),
        "steps", trained.get("steps").asInt(),
        "wall_s", trained.get("wall_s").asDouble()));
    boolean bothReached = directRun.get("reached").asBoolean() && gnnRun.get("reached").asBoolean();
    Map<String, Object> heat = new LinkedHashMap<>();
    heat.put("graph", "grid2d:128x128");
    heat.put("tolerance", 1e-6);
    heat.put("direct_gd", summary(directRun));
    heat.put("gnn_adam", summary(gnnRun));
    heat.put("speedup_wall", bothReached ? directRun.get("wall_s_to_tol").asDouble() / gnnRun.get("wall_s_to_tol").asDouble() : null);
    heat.put("speedup_iterations", bothReached ? directRun.get("iterations_to_tol").asDouble() / gnnRun.get("iterations_to_tol").asDouble() : null);
    result.put("heat", heat);
    run.finish(result);

    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println();
    stdout.printf("%-52s %12s %10s %8s%n", "result", "value", "reference", "wall_s");
    stdout.printf("%-52s %12.3f %10.3f %8.1f%n",
        "ListOps MAX test accuracy (" + trained.get("params").asLong() + " params) vs majority class",
        trained.get("test_accuracy").get("MAX").asDouble(), trained.get("majority_baseline").get("MAX").asDouble(), trained.get("wall_s").asDouble());
    stdout.printf("%-52s %12s %10s %8.1f%n", "heat 128x128 to gap 1e-6: GNN + Adam, iterations", text(gnnRun.get("iterations_to_tol")), "", gnnRun.get("wall_s").asDouble());
    stdout.printf("%-52s %12s %10s %8.1f%n", "heat 128x128 to gap 1e-6: direct GD, iterations", text(directRun.get("iterations_to_tol")), "", directRun.get("wall_s").asDouble());
    if (bothReached) {
      stdout.printf("%-52s %11.1fx %9.1fx%n", "GNN speedup: wall time, iterations", heat.get("speedup_wall"), heat.get("speedup_iterations"));
    }
    stdout.println();
    stdout.println("run directory: " + out + " (result.json; plots: heat-*/loss_vs_time.png; SavedModel: listops-max-model)");
    stdout.println("next: sweep --mixes \"SUM;MAX,MED,SUM\" ..., curriculum, probe --model " + out.resolve("listops-max-model") + ", reparam-bench");
    stdout.flush();
    return 0;
  }

  private List<String> withCommon(List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("--seed", Long.toString(common.seed), "--threads", Integer.toString(common.threads),
        "--device", common.device.toString().toLowerCase(java.util.Locale.ROOT)));
    if (!common.tensorboard()) {
      all.add("--no-tensorboard");
    }
    return all;
  }

  private static Map<String, Object> summary(JsonNode method) {
    Map<String, Object> s = new LinkedHashMap<>();
    for (String key : List.of("reached", "iterations_to_tol", "wall_s_to_tol", "final_gap")) {
      JsonNode value = method.get(key);
      s.put(key, value == null || value.isNull() ? null : value.isBoolean() ? value.asBoolean() : value.isIntegralNumber() ? value.asLong() : value.asDouble());
    }
    return s;
  }

  private static String text(JsonNode value) {
    return value == null || value.isNull() ? "not reached" : value.asText();
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new Quickstart(), args);
  }
}
