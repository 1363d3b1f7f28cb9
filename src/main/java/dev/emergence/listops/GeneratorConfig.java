package dev.emergence.listops;

import com.google.common.base.Preconditions;

/**
 * What the generator draws. Depth counts operator nesting levels: the root (depth 0) is always a
 * list; a child at depth {@code >= maxDepth} is a leaf; any other child is a leaf with probability
 * {@code leafProbability}, else a list. So {@code maxDepth} is a maximum and {@code maxDepth = 1}
 * gives flat lists like {@code [SUM 3 4 ]}. Leaves are uniform over the domain's leaves (the
 * numbers 0..modulus-1 of ListOps, the elements of a group); {@link Generator} says which operator
 * each list gets.
 *
 * @param domain the numbers modulo n (ListOps) or a {@link Group}
 * @param tasks the operator mix, operators of the domain
 */
public record GeneratorConfig(
    Domain domain,
    int maxDepth,
    Arity arity,
    double leafProbability,
    Composition composition,
    Mix<?> tasks) {
  public static final int DEFAULT_MAX_DEPTH = 3;
  public static final double DEFAULT_LEAF_PROBABILITY = 0.3;

  public GeneratorConfig {
    Preconditions.checkNotNull(domain, "domain");
    Preconditions.checkArgument(
        maxDepth >= 1 && maxDepth <= 32, "max depth must be in 1..32, got %s", maxDepth);
    Preconditions.checkNotNull(arity, "arity");
    Preconditions.checkArgument(
        leafProbability >= 0 && leafProbability <= 1,
        "leaf probability must be in [0, 1], got %s",
        leafProbability);
    Preconditions.checkNotNull(composition, "composition");
    Preconditions.checkNotNull(tasks, "mix");
    for (ListOperator op : tasks.operators()) domain.checkOperator(op);
  }

  /** A ListOps config: numbers modulo {@code modulus}. */
  public GeneratorConfig(
      int modulus,
      int maxDepth,
      Arity arity,
      double leafProbability,
      Composition composition,
      Mix<Operator> mix) {
    this(Modulus.of(modulus), maxDepth, arity, leafProbability, composition, mix);
  }

  /**
   * Defaults of the study (modulus 10, depth 3, arity 2-3, leaf probability 0.3, mixed) for a
   * ListOps mix.
   */
  public static GeneratorConfig defaults(Mix<Operator> mix) {
    return defaults(Modulus.of(Modulus.DEFAULT_N), mix);
  }

  /**
   * Defaults of the study (depth 3, arity 2-3, leaf probability 0.3, mixed) for a mix of the
   * domain's operators.
   */
  public static GeneratorConfig defaults(Domain domain, Mix<?> mix) {
    return new GeneratorConfig(
        domain, DEFAULT_MAX_DEPTH, Arity.DEFAULT, DEFAULT_LEAF_PROBABILITY, Composition.MIXED, mix);
  }

  /** The modulus of a ListOps config (a group config has none). */
  public int modulus() {
    return digits().n();
  }

  /** The mix of a ListOps config ({@link #tasks()} for every domain). */
  @SuppressWarnings(
      "unchecked") // a Modulus domain admits only Operators (checked by the constructor)
  public Mix<Operator> mix() {
    digits();
    return (Mix<Operator>) tasks;
  }

  public GeneratorConfig withMix(Mix<?> newMix) {
    return new GeneratorConfig(domain, maxDepth, arity, leafProbability, composition, newMix);
  }

  public GeneratorConfig withComposition(Composition newComposition) {
    return new GeneratorConfig(domain, maxDepth, arity, leafProbability, newComposition, tasks);
  }

  public GeneratorConfig withMaxDepth(int depth) {
    return new GeneratorConfig(domain, depth, arity, leafProbability, composition, tasks);
  }

  public GeneratorConfig withArity(Arity newArity) {
    return new GeneratorConfig(domain, maxDepth, newArity, leafProbability, composition, tasks);
  }

  public GeneratorConfig withModulus(int n) {
    return withDomain(Modulus.of(n));
  }

  public GeneratorConfig withDomain(Domain newDomain) {
    return new GeneratorConfig(newDomain, maxDepth, arity, leafProbability, composition, tasks);
  }

  public GeneratorConfig withLeafProbability(double p) {
    return new GeneratorConfig(domain, maxDepth, arity, p, composition, tasks);
  }

  private Modulus digits() {
    Preconditions.checkState(
        domain instanceof Modulus,
        "a %s task has no modulus and no digit mix: use domain() and tasks()",
        domain.description());
    return (Modulus) domain;
  }
}
