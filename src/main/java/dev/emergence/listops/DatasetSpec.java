package dev.emergence.listops;

import com.google.common.base.Preconditions;

/**
 * Sizes of a dataset: training examples, and validation and test examples PER OPERATOR of the mix
 * (so an operator's held-out sets are the same whatever else is in the mix).
 */
public record DatasetSpec(int trainSize, int validationPerOperator, int testPerOperator) {
  public DatasetSpec {
    Preconditions.checkArgument(trainSize >= 0, "train size must be >= 0, got %s", trainSize);
    Preconditions.checkArgument(
        validationPerOperator >= 0,
        "validation size per operator must be >= 0, got %s",
        validationPerOperator);
    Preconditions.checkArgument(
        testPerOperator >= 0, "test size per operator must be >= 0, got %s", testPerOperator);
  }
}
