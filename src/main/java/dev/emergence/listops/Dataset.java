package dev.emergence.listops;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Train, validation and test splits of one config. Validation and test hold, per operator of the
 * mix, PURE expressions of that operator; no expression appears in two splits (exact canonical
 * text).
 *
 * @param validationSets each operator's validation set, in mix order
 * @param testSets each operator's test set, in mix order
 * @param pureSpaceSize number of distinct pure expressions of one operator (saturating)
 * @param enumerated whether the held-out sets were cut from the enumerated space rather than
 *     sampled
 */
public record Dataset(
    GeneratorConfig config,
    DatasetSpec spec,
    long seed,
    Split train,
    Map<ListOperator, Split> validationSets,
    Map<ListOperator, Split> testSets,
    long pureSpaceSize,
    boolean enumerated) {
  public Dataset {
    validationSets = Collections.unmodifiableMap(new LinkedHashMap<>(validationSets));
    testSets = Collections.unmodifiableMap(new LinkedHashMap<>(testSets));
  }

  /** The validation sets of a ListOps dataset ({@link #validationSets()} for every domain). */
  public Map<Operator, Split> validation() {
    return digits(validationSets);
  }

  /** The test sets of a ListOps dataset ({@link #testSets()} for every domain). */
  public Map<Operator, Split> test() {
    return digits(testSets);
  }

  public AnswerStats testStats(ListOperator op) {
    return AnswerStats.of(testSets.get(op), config.domain().values());
  }

  @SuppressWarnings("unchecked") // config.mix() checks that the operators are digit operators
  private Map<Operator, Split> digits(Map<ListOperator, Split> sets) {
    config.mix();
    return (Map<Operator, Split>) (Map<?, ?>) sets;
  }
}
