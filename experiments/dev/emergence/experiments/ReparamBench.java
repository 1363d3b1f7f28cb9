package dev.emergence.experiments;

import com.fasterxml.jackson.core.type.TypeReference;
import com.google.common.base.Preconditions;
import dev.emergence.reparam.bench.BenchConfig;
import dev.emergence.reparam.bench.Benchmark;
import dev.emergence.reparam.bench.Cells;
import dev.emergence.reparam.graph.GraphSpec;
import dev.emergence.reparam.method.Execution;
import dev.emergence.reparam.method.MethodKind;
import dev.emergence.reparam.method.OptimizerKind;
import dev.emergence.report.Json;
import dev.emergence.report.RunDirectory;
import dev.emergence.report.StopSignal;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * One graph problem (heat diffusion by default) over graph sizes and optimizers: both methods,
 * learning rates by the same search, a few seeds; results.csv, speedup.csv (the same optimizer
 * through the GNN against on x, and the best against the best), seeds.csv, distribution.csv and the
 * two speedup plots.
 */
@Command(
    name = "reparam-bench",
    mixinStandardHelpOptions = true,
    modelTransformer = ProblemOption.Groups.class,
    description =
        "Sweep a graph problem's graphs and optimizers; wall-time speedup of the GNN method to a 1e-6 gap.")
public final class ReparamBench implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin ProblemOption problem;
  @Mixin StoppingOptions stopping = new StoppingOptions(BenchConfig.STOPPING);
  @Mixin GnnOptions gnn;
  @Mixin Stage2Options stage2;
  @Mixin ExecutionOptions execution;

  @Option(
      names = "--graphs",
      split = ",",
      description =
          "Graph specs (homology also points:N:K and csv:FILE) (default: 2D grids 32^2..512^2, 3D grids 8^3..32^3, rgg with 10^4 and 10^5 nodes).")
  List<String> graphs = BenchConfig.GRAPHS;

  @Option(
      names = "--disorder",
      split = ",",
      description =
          "Disorder levels K: each graph is run with every edge weight times a factor log-uniform over 10^-K..10^K (seeded by --seed), once per level, as if each spec ended in @disorder=K; 0 is the graph as it is (default: none).")
  List<Double> disorder = List.of();

  @Option(
      names = "--optimizers",
      split = ",",
      description = "Optimizers (default: ${DEFAULT-VALUE}).")
  List<OptimizerKind> optimizers = BenchConfig.OPTIMIZERS;

  @Option(
      names = "--seeds",
      description = "Seeds per cell at the chosen learning rate (default: ${DEFAULT-VALUE}).")
  int seeds = BenchConfig.SEEDS;

  @Option(
      names = "--lr-factors",
      split = ",",
      description =
          "Learning-rate grid, as factors of each method's default; the first is tried first and wins ties (default: ${DEFAULT-VALUE}).")
  List<Double> lrFactors = BenchConfig.LR_FACTORS;

  @Option(
      names = "--all-seeds",
      description =
          "Run every seed of every cell, and skip no cell, even where the search's best run did not reach the target (for Kuramoto from the full circle: the fraction that arrives is the measurement).")
  boolean allSeeds;

  @Option(
      names = "--resume",
      description =
          "Continue the run at --out: reuse the cells saved there with the same settings (a cell with other settings is refused).")
  boolean resume;

  @Option(
      names = "--baselines",
      split = ",",
      description =
          "Methods run once per graph beside the first-order ones: lbfgs, cg, or none (default: ${DEFAULT-VALUE}).")
  List<String> baselines = BenchConfig.BASELINES.stream().map(MethodKind::toString).toList();

  @Spec CommandSpec spec;

  /**
   * The benchmark the options ask for; every name and number checked, every graph of the list too.
   */
  BenchConfig config() {
    Execution exec = execution.execution(common);
    boolean handoverGiven = spec.commandLine().getParseResult().hasMatchedOption("--handover");
    return new BenchConfig(
        problem.problem,
        problem.settings(),
        specs(),
        optimizers,
        baselines(),
        seeds,
        lrFactors,
        common.seed,
        stopping.stopping(),
        gnn.stage(common.seed, exec.fastStep(), handoverGiven),
        stage2.optimizer,
        stage2.decay(),
        exec,
        allSeeds);
  }

  /**
   * Every graph at every --disorder level, graph by graph (each graph as it is without --disorder).
   */
  private List<String> specs() {
    if (disorder.isEmpty()) {
      return graphs;
    }
    List<String> specs = new ArrayList<>();
    for (String g : graphs) {
      for (double k : disorder) {
        specs.add(GraphSpec.withDisorder(g, k));
      }
    }
    return specs;
  }

  /** --baselines as methods: none for {@code none}. */
  private List<MethodKind> baselines() {
    List<MethodKind> methods = new ArrayList<>();
    for (String b : baselines.equals(List.of("none")) ? List.<String>of() : baselines) {
      Preconditions.checkArgument(
          b.equals(MethodKind.LBFGS.toString()) || b.equals(MethodKind.CG.toString()),
          "unknown baseline '%s'; expected lbfgs, cg or none",
          b);
      methods.add(MethodKind.valueOf(b.toUpperCase(Locale.ROOT)));
    }
    return methods;
  }

  @Override
  public Integer call() {
    // Every check before any work: names, numbers, every graph of the list, --resume with --out,
    // --out.
    Preconditions.checkArgument(
        !resume || common.out != null, "--resume needs --out: the run directory to continue");
    BenchConfig config = config();
    StopSignal.install();
    RunDirectory run = common.runDirectory("reparam-bench", true, resume);
    Map<String, Cells.Cell> saved = resume ? Cells.resumable(config, run.root()) : Map.of();
    PrintWriter stdout = spec.commandLine().getOut();
    try {
      Map<String, Object> recorded =
          new LinkedHashMap<>(
              Json.mapper().convertValue(config, new TypeReference<Map<String, Object>>() {}));
      recorded.put("command", "reparam-bench");
      recorded.put("args", String.join(" ", spec.commandLine().getParseResult().originalArgs()));
      run.start(recorded);
      Benchmark.run(
          config,
          run,
          saved,
          common.tensorboard(),
          line -> {
            stdout.println(line);
            stdout.flush();
          });
    } catch (RuntimeException | Error e) {
      run.ended(e);
      throw e;
    }
    stdout.println(
        "wrote "
            + String.join(
                ", ",
                java.util.stream.Stream.of(
                        "results.csv",
                        "speedup.csv",
                        "seeds.csv",
                        "distribution.csv",
                        "speedup_vs_n.png",
                        "speedup_same_optimizer_vs_n.png")
                    .map(f -> run.resolve(f).toString())
                    .toList()));
    stdout.flush();
    return 0;
  }

  public static void main(String[] args) {
    Emergence.Cli.run(new ReparamBench(), args);
  }
}
