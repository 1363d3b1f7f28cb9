package dev.emergence.experiments;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.google.common.base.Preconditions;
import dev.emergence.capacity.Curriculum;
import dev.emergence.capacity.SweepGrid;
import dev.emergence.listops.Composition;
import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.Group;
import dev.emergence.report.AtomicFiles;
import dev.emergence.report.Plots;
import dev.emergence.report.RunDirectory;
import dev.emergence.report.StopSignal;
import dev.emergence.train.TrainConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * E3, transfer: pretrain on one mix, finetune on another, against the second mix from scratch for
 * the same total steps, at the same size and seeds; result.json and one plot with both accuracy
 * curves.
 */
@Command(
    name = "curriculum",
    mixinStandardHelpOptions = true,
    description =
        "Pretrain on one mix, finetune on another; compare with training on the second from scratch.")
public final class CurriculumCommand implements Callable<Integer> {
  private static final TrainConfig DEFAULTS = TrainConfig.defaults();

  @Mixin CommonOptions common = new CommonOptions();
  @Mixin OptimizerOptions optimizer = new OptimizerOptions();
  @Mixin GroupOption group = new GroupOption();
  @Spec CommandSpec spec;

  @Option(names = "--pretrain", description = "Mix to pretrain on (default: ${DEFAULT-VALUE}).")
  String pretrain = "MAX,MED";

  @Option(names = "--finetune", description = "Mix to train on next (default: ${DEFAULT-VALUE}).")
  String finetune = "SUM";

  @Option(
      names = "--pretrain-steps",
      description = "Steps on the first mix (default: ${DEFAULT-VALUE}).")
  int pretrainSteps = 3000;

  @Option(
      names = "--finetune-steps",
      description =
          "Steps on the second mix (default: ${DEFAULT-VALUE}); scratch gets both budgets.")
  int finetuneSteps = 6000;

  @Option(
      names = "--reset-optimizer",
      description = "Reset AdamW's moments after pretraining (default: kept).")
  boolean resetOptimizer;

  @Option(names = "--d-model", description = "Width (default: ${DEFAULT-VALUE}).")
  int dModel = 8;

  @Option(names = "--layers", description = "Blocks (default: ${DEFAULT-VALUE}).")
  int layers = 1;

  @Option(names = "--heads", description = "Attention heads (default: ${DEFAULT-VALUE}).")
  int heads = 1;

  @Option(
      names = "--loops",
      description = "Applications of the block stack (default: ${DEFAULT-VALUE}).")
  int loops = 1;

  @Option(names = "--depth", description = "Maximum nesting depth (default: ${DEFAULT-VALUE}).")
  int depth = 1;

  @Option(names = "--modulus", description = "Numbers are 0..N-1 (default: ${DEFAULT-VALUE}).")
  int modulus = 10;

  @Option(names = "--arity", description = "Arguments per list (default: ${DEFAULT-VALUE}).")
  String arity = "2-3";

  @Option(names = "--composition", description = "mixed or pure (default: ${DEFAULT-VALUE}).")
  String composition = "pure";

  @Option(
      names = "--seeds",
      description = "A count N (seeds 0..N-1) or a list such as 0,5,9 (default: ${DEFAULT-VALUE}).")
  String seeds = "3";

  @Option(names = "--batch", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
  int batch = DEFAULTS.batch();

  @Option(
      names = "--eval-every",
      description = "Validate every N steps (default: ${DEFAULT-VALUE}).")
  int evalEvery = DEFAULTS.evalEvery();

  @Option(
      names = "--train-size",
      description = "Training examples per mix (default: ${DEFAULT-VALUE}).")
  int trainSize = 100_000;

  @Option(
      names = "--val-size",
      description = "Validation examples per operator (default: ${DEFAULT-VALUE}).")
  int valSize = 100;

  @Option(
      names = "--test-size",
      description = "Test examples per operator (default: ${DEFAULT-VALUE}).")
  int testSize = 300;

  @Override
  public Integer call() {
    Preconditions.checkArgument(
        valSize >= 1 && testSize >= 1 && trainSize >= 1,
        "--train-size, --val-size and --test-size must be at least 1");
    Preconditions.checkArgument(
        dModel % heads == 0, "d_model %s is not divisible by heads %s", dModel, heads);
    TrainConfig training =
        optimizer.applyTo(TrainConfig.builder()).batch(batch).evalEvery(evalEvery).build();
    Group g = group.group();
    Curriculum.Settings settings =
        new Curriculum.Settings(
            pretrain,
            finetune,
            pretrainSteps,
            finetuneSteps,
            training,
            new DatasetSpec(trainSize, valSize, testSize),
            depth,
            g == null ? modulus : SweepGrid.Cell.NO_MODULUS,
            arity,
            Composition.parse(composition),
            layers,
            heads,
            dModel,
            loops,
            !resetOptimizer,
            g == null ? null : g.name());
    List<Long> seedList = SeedList.parse(seeds);
    var session = common.sessionConfig();
    RunDirectory run = common.runDirectory("curriculum", false, false);
    StopSignal.install();
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("command", "curriculum");
    config.put("args", String.join(" ", spec.commandLine().getParseResult().originalArgs()));
    config.put("settings", settings);
    config.put("seeds", seedList);
    config.put("threads", common.threads);
    PrintWriter out = spec.commandLine().getOut();
    Result result =
        run.run(
            config,
            () -> {
              List<Curriculum.SeedResult> results = new ArrayList<>();
              for (long seed : seedList) {
                Curriculum.SeedResult r =
                    Curriculum.run(settings, seed, session, run.root().resolve("checkpoints"));
                results.add(r);
                out.printf(
                    "seed %d: %s after %s -> %s; from scratch %s (%d params)%n",
                    seed,
                    finetune,
                    pretrain,
                    format(r.curriculum().testAccuracy()),
                    format(r.scratch().testAccuracy()),
                    r.curriculum().params());
                out.flush();
              }
              try {
                AtomicFiles.deleteRecursively(run.root().resolve("checkpoints"));
              } catch (IOException e) {
                throw new UncheckedIOException(
                    "cannot delete " + run.root().resolve("checkpoints") + ": " + e.getMessage(),
                    e);
              }
              plot(results, run.root().resolve("transfer.png"));
              return new Result(
                  results.get(0).curriculum().params(),
                  new Medians(median(results, true), median(results, false)),
                  results);
            });
    out.printf(
        "median %s accuracy: curriculum %s, from scratch %s; %s%n",
        finetune,
        result.medianTestAccuracy().curriculum(),
        result.medianTestAccuracy().scratch(),
        run.resolve(RunDirectory.RESULT));
    return 0;
  }

  /**
   * result.json: the parameters, the median test accuracy of each arm over the seeds, every seed's
   * result.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder(alphabetic = true)
  record Result(long params, Medians medianTestAccuracy, List<Curriculum.SeedResult> seeds) {}

  /** Median test accuracy per operator of the finetuning mix, for each arm. */
  record Medians(Map<String, Double> curriculum, Map<String, Double> scratch) {}

  private static Map<String, Double> median(
      List<Curriculum.SeedResult> results, boolean curriculum) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String op : results.get(0).scratch().testAccuracy().keySet()) {
      double[] values =
          results.stream()
              .mapToDouble(r -> (curriculum ? r.curriculum() : r.scratch()).testAccuracy().get(op))
              .toArray();
      out.put(op, new Median().evaluate(values));
    }
    return out;
  }

  /** Validation accuracy (overall on the second mix) against total steps, both arms, every seed. */
  private void plot(List<Curriculum.SeedResult> results, Path file) {
    Map<String, Plots.Series> series = new LinkedHashMap<>();
    for (Curriculum.SeedResult r : results) {
      series.put("after " + pretrain + ", seed " + r.seed(), curve(r.curriculum().curve()));
      series.put("from scratch, seed " + r.seed(), curve(r.scratch().curve()));
    }
    Plots.savePng(
        Plots.lines(
            finetune
                + " validation accuracy: after "
                + pretrain
                + " (from step "
                + pretrainSteps
                + ") vs from scratch",
            "total training steps",
            "validation accuracy (" + finetune + ")",
            series,
            false,
            false),
        file);
  }

  private static Plots.Series curve(List<Curriculum.Point> points) {
    return new Plots.Series(
        points.stream().mapToDouble(Curriculum.Point::step).toArray(),
        points.stream().mapToDouble(p -> p.accuracy().get("overall")).toArray());
  }

  private static String format(Map<String, Double> accuracy) {
    StringBuilder s = new StringBuilder();
    accuracy.forEach(
        (k, v) ->
            s.append(s.length() == 0 ? "" : " ")
                .append(k)
                .append('=')
                .append(String.format("%.3f", v)));
    return s.toString();
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new CurriculumCommand(), args);
  }
}
