package dev.emergence.experiments;

import dev.emergence.nn.GnnReparametrization;
import picocli.CommandLine.Option;

/** The GNN method's shape and its switch to direct optimization, shared by reparam and reparam-bench. */
public final class GnnOptions {
  @Option(names = "--hidden", description = "GNN width (default: ${DEFAULT-VALUE}).")
  int hidden = 16;

  @Option(names = "--layers", description = "GNN propagation layers (default: ${DEFAULT-VALUE}).")
  int layers = 3;

  @Option(names = "--skip", description = "concat or residual (default: ${DEFAULT-VALUE}).")
  String skip = "concat";

  @Option(names = "--activation", description = "tanh, relu or linear (default: ${DEFAULT-VALUE}).")
  String activation = "tanh";

  @Option(names = "--plateau-window", description = "GNN stage ends when the energy fell by less than --plateau-threshold over this many steps (default: ${DEFAULT-VALUE}).")
  int plateauWindow = 50;

  @Option(names = "--plateau-threshold", description = "Relative energy decrease that counts as progress (default: ${DEFAULT-VALUE}).")
  double plateauThreshold = 1e-4;

  GnnReparametrization.Config config(long seed) {
    return new GnnReparametrization.Config(
        hidden,
        layers,
        Reparam.enumOf(GnnReparametrization.Skip.class, skip, "skip"),
        Reparam.enumOf(GnnReparametrization.Activation.class, activation, "activation"),
        seed);
  }
}
