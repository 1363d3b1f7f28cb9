package dev.emergence.capacity;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * What one model of a sweep learned: test accuracy on each operator of its mix (that operator's
 * pure test expressions), the majority baseline beside it, the first evaluation step at which
 * validation accuracy reached the target (null if never), the accuracy-against-step curve, and
 * where it ran.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CellResult(
    SweepGrid.Cell cell,
    long params,
    int steps,
    Map<String, Double> accuracy,
    Map<String, Double> majority,
    Map<String, Integer> stepsToTarget,
    List<CurvePoint> curve,
    double wallS,
    String commit) {

  /** Validation accuracy per operator at one evaluation step. */
  public record CurvePoint(int step, Map<String, Double> accuracy) {}
}
