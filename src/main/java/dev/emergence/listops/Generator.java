package dev.emergence.listops;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws random expressions for a {@link GeneratorConfig}, computing each value while it writes the
 * tokens (no tree, no strings). Deterministic for a given random source. Not thread-safe: it owns
 * scratch buffers; use one generator per thread.
 */
public final class Generator {
  private final GeneratorConfig config;
  private final Modulus modulus;
  private final Mix.Sampler sampler;
  private final int[][] childValues; // per depth: values of the children of the node being built
  private int[] buffer = new int[64];
  private int size;

  public Generator(GeneratorConfig config) {
    this.config = config;
    this.modulus = Modulus.of(config.modulus());
    this.sampler = config.mix().sampler();
    this.childValues = new int[config.maxDepth()][config.arity().max()];
  }

  public GeneratorConfig config() {
    return config;
  }

  public Modulus modulus() {
    return modulus;
  }

  /** One example from the config's mix and composition. */
  public Example next(SplittableRandom random) {
    Operator pure = config.composition() == Composition.PURE ? sampler.next(random) : null;
    return generate(pure, random);
  }

  /** One pure expression of {@code op} (every list uses it), whatever the config's mix. */
  public Example nextPure(Operator op, SplittableRandom random) {
    return generate(op, random);
  }

  private Example generate(Operator pure, SplittableRandom random) {
    size = 0;
    int value = list(0, pure, random);
    return new Example(new Expression(Arrays.copyOf(buffer, size)), value);
  }

  /** Writes a list node at {@code depth} and returns its value. */
  private int list(int depth, Operator pure, SplittableRandom random) {
    Operator op = pure != null ? pure : sampler.next(random);
    emit(Vocabulary.operatorId(op));
    Arity arity = config.arity();
    int count = arity.min() + (arity.max() > arity.min() ? random.nextInt(arity.max() - arity.min() + 1) : 0);
    int child = depth + 1;
    for (int i = 0; i < count; i++) {
      int value;
      if (child >= config.maxDepth() || random.nextDouble() < config.leafProbability()) {
        value = random.nextInt(modulus.n());
        emit(Vocabulary.FIRST_NUMBER + value);
      } else {
        value = list(child, pure, random);
      }
      childValues[depth][i] = value;
    }
    emit(Vocabulary.CLOSE);
    return op.apply(childValues[depth], 0, count, modulus);
  }

  private void emit(int id) {
    if (size == buffer.length) buffer = Arrays.copyOf(buffer, size * 2);
    buffer[size++] = id;
  }
}
