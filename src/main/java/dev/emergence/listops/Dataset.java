package dev.emergence.listops;

import java.util.Map;

/**
 * Train, validation and test splits of one config. Validation and test hold, per operator of the mix,
 * PURE expressions of that operator; no expression appears in two splits (exact canonical text).
 *
 * @param pureSpaceSize number of distinct pure expressions of one operator (saturating)
 * @param enumerated whether the held-out sets were cut from the enumerated space rather than sampled
 */
public record Dataset(
    GeneratorConfig config,
    DatasetSpec spec,
    long seed,
    Split train,
    Map<Operator, Split> validation,
    Map<Operator, Split> test,
    long pureSpaceSize,
    boolean enumerated) {
  public Dataset {
    validation = Map.copyOf(validation);
    test = Map.copyOf(test);
  }

  public AnswerStats testStats(Operator op) {
    return AnswerStats.of(test.get(op), config.modulus());
  }
}
