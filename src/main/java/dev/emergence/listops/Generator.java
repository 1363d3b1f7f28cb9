package dev.emergence.listops;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws random expressions for a {@link GeneratorConfig}, computing each value while it writes the
 * tokens (no tree, no strings). Deterministic for a given random source. Not thread-safe: it owns
 * scratch buffers; use one generator per thread.
 *
 * <p>Which operator each list gets. Pure: the root's operator, and {@link ListOperator#inner()} of
 * it for every list below (the same operator, except below PSIGN and PAT0, whose inner lists are
 * PMUL). Mixed: the root is drawn from the mix; below a {@link ListOperator#nestable()} root every
 * list is drawn from the mix's nestable operators, below any other root every list is its {@code
 * inner()}. For ListOps every operator is nestable, so every list is drawn from the mix.
 */
public final class Generator {
  private final GeneratorConfig config;
  private final Domain domain;
  private final Vocabulary vocabulary;
  private final Mix.Sampler roots;
  private final Mix.Sampler nestable; // the mix's nestable operators; null when it has none
  private final Mix.Sampler[] inner; // by operator ordinal: always that operator's inner()
  private final int[][] childValues; // per depth: values of the children of the node being built
  private int[] buffer = new int[64];
  private int size;

  public Generator(GeneratorConfig config) {
    this.config = config;
    this.domain = config.domain();
    this.vocabulary = new Vocabulary(domain);
    this.roots = config.tasks().sampler();
    Mix<?> nestableMix = config.tasks().restrictedTo(ListOperator::nestable);
    // Identity on purpose: restrictedTo returns the mix itself when it keeps every operator.
    @SuppressWarnings("ReferenceEquality")
    boolean allNestable = nestableMix == config.tasks();
    this.nestable = nestableMix == null ? null : allNestable ? roots : nestableMix.sampler();
    this.inner =
        domain.operators().stream()
            .map(op -> Mix.of(op.inner()).sampler())
            .toArray(Mix.Sampler[]::new);
    this.childValues = new int[config.maxDepth()][config.arity().max()];
  }

  public GeneratorConfig config() {
    return config;
  }

  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /** One example from the config's mix and composition. */
  public Example next(SplittableRandom random) {
    ListOperator root = roots.next(random);
    boolean drawn = config.composition() == Composition.MIXED && root.nestable();
    return generate(root, drawn ? nestable : inner[root.ordinal()], random);
  }

  /**
   * One pure expression of {@code op} (its inner lists use {@code op.inner()}), whatever the
   * config's mix.
   */
  public Example nextPure(ListOperator op, SplittableRandom random) {
    domain.checkOperator(op);
    return generate(op, inner[op.ordinal()], random);
  }

  private Example generate(ListOperator root, Mix.Sampler below, SplittableRandom random) {
    size = 0;
    int value = list(0, root, below, random);
    return new Example(new Expression(Arrays.copyOf(buffer, size), vocabulary), value);
  }

  /**
   * Writes a list of {@code op} at {@code depth}, its inner lists' operators drawn from {@code
   * below}; returns its value.
   */
  private int list(int depth, ListOperator op, Mix.Sampler below, SplittableRandom random) {
    emit(vocabulary.id(op));
    Arity arity = config.arity();
    int count =
        arity.min()
            + (arity.max() > arity.min() ? random.nextInt(arity.max() - arity.min() + 1) : 0);
    int child = depth + 1;
    for (int i = 0; i < count; i++) {
      int value;
      if (child >= config.maxDepth() || random.nextDouble() < config.leafProbability()) {
        value = random.nextInt(domain.leaves());
        emit(vocabulary.valueId(value));
      } else {
        value = list(child, below.next(random), below, random);
      }
      childValues[depth][i] = value;
    }
    emit(Vocabulary.CLOSE);
    return domain.apply(op, childValues[depth], 0, count);
  }

  private void emit(int id) {
    if (size == buffer.length) buffer = Arrays.copyOf(buffer, size * 2);
    buffer[size++] = id;
  }
}
