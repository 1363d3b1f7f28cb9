package dev.emergence.listops;

import com.google.common.base.Preconditions;

/**
 * What the generator draws. Depth counts operator nesting levels: the root (depth 0) is always a list;
 * a child at depth {@code >= maxDepth} is a number; any other child is a number with probability
 * {@code leafProbability}, else a list. So {@code maxDepth} is a maximum and {@code maxDepth = 1} gives
 * flat lists like {@code [SUM 3 4 ]}. Numbers are uniform over 0..modulus-1.
 */
public record GeneratorConfig(
    int modulus, int maxDepth, Arity arity, double leafProbability, Composition composition, Mix mix) {
  public static final int DEFAULT_MAX_DEPTH = 3;
  public static final double DEFAULT_LEAF_PROBABILITY = 0.3;

  public GeneratorConfig {
    Preconditions.checkArgument(
        modulus >= 2 && modulus <= Modulus.MAX_N, "modulus must be in 2..%s, got %s", Modulus.MAX_N, modulus);
    Preconditions.checkArgument(maxDepth >= 1 && maxDepth <= 32, "max depth must be in 1..32, got %s", maxDepth);
    Preconditions.checkNotNull(arity, "arity");
    Preconditions.checkArgument(
        leafProbability >= 0 && leafProbability <= 1,
        "leaf probability must be in [0, 1], got %s", leafProbability);
    Preconditions.checkNotNull(composition, "composition");
    Preconditions.checkNotNull(mix, "mix");
  }

  /** Defaults of the study (modulus 10, depth 3, arity 2-3, leaf probability 0.3, mixed) for a mix. */
  public static GeneratorConfig defaults(Mix mix) {
    return new GeneratorConfig(
        Modulus.DEFAULT_N, DEFAULT_MAX_DEPTH, Arity.DEFAULT, DEFAULT_LEAF_PROBABILITY, Composition.MIXED, mix);
  }

  public GeneratorConfig withMix(Mix newMix) {
    return new GeneratorConfig(modulus, maxDepth, arity, leafProbability, composition, newMix);
  }

  public GeneratorConfig withComposition(Composition newComposition) {
    return new GeneratorConfig(modulus, maxDepth, arity, leafProbability, newComposition, mix);
  }

  public GeneratorConfig withMaxDepth(int depth) {
    return new GeneratorConfig(modulus, depth, arity, leafProbability, composition, mix);
  }

  public GeneratorConfig withArity(Arity newArity) {
    return new GeneratorConfig(modulus, maxDepth, newArity, leafProbability, composition, mix);
  }

  public GeneratorConfig withModulus(int n) {
    return new GeneratorConfig(n, maxDepth, arity, leafProbability, composition, mix);
  }

  public GeneratorConfig withLeafProbability(double p) {
    return new GeneratorConfig(modulus, maxDepth, arity, p, composition, mix);
  }
}
