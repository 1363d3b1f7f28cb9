package dev.emergence.listops;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Builds a {@link Dataset}. Held-out sets come first, per operator of the mix, then training
 * examples are drawn from the config's mix and composition, skipping every held-out expression
 * (training may repeat an expression; it never contains a held-out one).
 *
 * <p>Small spaces: when one operator has at most {@link #ENUMERATION_LIMIT} distinct pure
 * expressions, they are all enumerated, shuffled with the seed and cut: the test set takes the
 * first {@code min(testPerOperator, ceil(HELD_OUT_FRACTION * space))}, validation the next {@code
 * min(validationPerOperator, ceil(HELD_OUT_FRACTION * space))}, and the rest of the space is left
 * to training, so every expression belongs to exactly one split and each held-out set is a fixed,
 * exhaustively evaluated part of the space. Larger spaces: held-out sets are distinct samples from
 * the generator's distribution of pure expressions.
 *
 * <p>Each operator's held-out sets depend only on (seed, operator, domain, depth, arity, leaf
 * probability, sizes), not on the rest of the mix: "SUM accuracy" is measured on the same SUM test
 * set for every mix.
 */
public final class DatasetBuilder {
  /** Largest per-operator space that is enumerated rather than sampled. */
  public static final long ENUMERATION_LIMIT = 100_000;

  /** Cap on each held-out set's share of an enumerated space. */
  public static final double HELD_OUT_FRACTION = 0.1;

  private DatasetBuilder() {}

  public static Dataset build(GeneratorConfig config, DatasetSpec spec, long seed) {
    Generator generator = new Generator(config);
    Enumerator enumerator = new Enumerator(config);
    long space = enumerator.count();
    boolean enumerate = space <= ENUMERATION_LIMIT;
    Set<Expression> heldOut = new HashSet<>();
    Map<ListOperator, Split> validation = new LinkedHashMap<>();
    Map<ListOperator, Split> test = new LinkedHashMap<>();
    for (ListOperator op : config.tasks().operators()) {
      if (enumerate) {
        List<Example> all = new ArrayList<>(enumerator.enumerate(op));
        shuffle(all, new SplittableRandom(derive(seed, 300 + op.ordinal())));
        int cap = (int) Math.ceil(HELD_OUT_FRACTION * space);
        int testSize = Math.min(spec.testPerOperator(), cap);
        int validationSize = Math.min(spec.validationPerOperator(), cap);
        test.put(op, collect("test", all.subList(0, testSize), heldOut));
        validation.put(
            op, collect("validation", all.subList(testSize, testSize + validationSize), heldOut));
      } else {
        test.put(
            op,
            sample(
                "test",
                op,
                spec.testPerOperator(),
                generator,
                derive(seed, 100 + op.ordinal()),
                heldOut));
        validation.put(
            op,
            sample(
                "validation",
                op,
                spec.validationPerOperator(),
                generator,
                derive(seed, 200 + op.ordinal()),
                heldOut));
      }
    }
    Split train =
        train(generator, spec.trainSize(), new SplittableRandom(derive(seed, 1)), heldOut);
    return new Dataset(config, spec, seed, train, validation, test, space, enumerate);
  }

  private static Split train(
      Generator generator, int size, SplittableRandom random, Set<Expression> heldOut) {
    Split.Builder out = Split.builder("train", size);
    long attempts = 0;
    long maxAttempts = 20L * size + 10_000;
    while (out.size() < size) {
      if (++attempts > maxAttempts) {
        throw new IllegalArgumentException(
            "held-out sets cover too much of the training distribution: only "
                + out.size()
                + " of "
                + size
                + " training examples after "
                + maxAttempts
                + " draws; use smaller held-out sets or a larger space");
      }
      Example example = generator.next(random);
      if (heldOut.isEmpty() || !heldOut.contains(example.expression())) out.add(example);
    }
    return out.build();
  }

  private static Split sample(
      String name,
      ListOperator op,
      int size,
      Generator generator,
      long seed,
      Set<Expression> heldOut) {
    SplittableRandom random = new SplittableRandom(seed);
    Split.Builder out = Split.builder(name, size);
    long attempts = 0;
    long maxAttempts = 50L * size + 10_000;
    while (out.size() < size) {
      if (++attempts > maxAttempts) {
        throw new IllegalArgumentException(
            "found only "
                + out.size()
                + " distinct pure "
                + op.name()
                + " expressions for the "
                + name
                + " set of "
                + size
                + " after "
                + maxAttempts
                + " draws; lower the size or raise depth, arity or modulus");
      }
      Example example = generator.nextPure(op, random);
      if (heldOut.add(example.expression())) out.add(example);
    }
    return out.build();
  }

  private static Split collect(String name, List<Example> examples, Set<Expression> heldOut) {
    Split.Builder out = Split.builder(name, examples.size());
    for (Example e : examples) {
      heldOut.add(e.expression());
      out.add(e);
    }
    return out.build();
  }

  private static <T> void shuffle(List<T> list, SplittableRandom random) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      T t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }

  /**
   * An independent seed for one stream. SplittableRandom seeds must not differ by its internal
   * gamma, so stream seeds are hashed (murmur3 finalizer) rather than offset.
   */
  static long derive(long seed, long stream) {
    long z = seed + stream * 0xD1B54A32D192ED03L;
    z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
    z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return z ^ (z >>> 33);
  }
}
