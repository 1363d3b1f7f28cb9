package dev.emergence.experiments;

import dev.emergence.reparam.method.RunSettings;

import com.google.common.base.Preconditions;
import dev.emergence.nn.GnnReparametrization;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The GNN method's shape and its switch to direct optimization, shared by reparam and reparam-bench;
 * the defaults are the library's ({@code GnnReparametrization.Config.defaults}, {@code RunSettings}).
 */
public final class GnnOptions {
  private static final GnnReparametrization.Config DEFAULTS = GnnReparametrization.Config.defaults(0);

  @Option(names = "--hidden", description = "GNN width (default: ${DEFAULT-VALUE}).")
  int hidden = DEFAULTS.hidden();

  @Option(names = "--layers", description = "GNN propagation layers (default: ${DEFAULT-VALUE}).")
  int layers = DEFAULTS.layers();

  @Option(names = "--skip", description = "concat or residual (default: ${DEFAULT-VALUE}).")
  String skip = DEFAULTS.skip().name().toLowerCase(Locale.ROOT);

  @Option(names = "--activation", description = "tanh, relu or linear (default: ${DEFAULT-VALUE}).")
  String activation = DEFAULTS.activation().name().toLowerCase(Locale.ROOT);

  @Option(names = "--plateau-window", description = "GNN stage ends when the energy fell by less than --plateau-threshold over this many steps (default: ${DEFAULT-VALUE}).")
  int plateauWindow = RunSettings.DEFAULT_PLATEAU_WINDOW;

  @Option(names = "--plateau-threshold", description = "Relative energy decrease that counts as progress (default: ${DEFAULT-VALUE}).")
  double plateauThreshold = RunSettings.DEFAULT_PLATEAU_THRESHOLD;

  /** The GNN's shape; every number checked, with the option's name. */
  GnnReparametrization.Config config(long seed) {
    Preconditions.checkArgument(hidden >= 1, "--hidden must be at least 1, got %s", hidden);
    Preconditions.checkArgument(layers >= 0, "--layers must be >= 0, got %s", layers);
    Preconditions.checkArgument(plateauWindow >= 1, "--plateau-window must be at least 1, got %s", plateauWindow);
    Preconditions.checkArgument(
        plateauThreshold >= 0 && Double.isFinite(plateauThreshold), "--plateau-threshold must be >= 0, got %s", plateauThreshold);
    return new GnnReparametrization.Config(
        hidden,
        layers,
        Reparam.enumOf(GnnReparametrization.Skip.class, skip, "skip"),
        Reparam.enumOf(GnnReparametrization.Activation.class, activation, "activation"),
        seed);
  }
}
