package dev.emergence.train;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * One line of {@code metrics.jsonl}: a member's evaluation at {@code step}.
 *
 * @param loss mean of the training losses fetched since the previous line (null when none was)
 * @param lr the learning rate of the last step
 * @param valAccuracy {@code overall} and one entry per operator
 * @param elapsedS seconds since the run started
 * @param tokensPerS input positions per second of training step
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder(alphabetic = true)
public record MetricsLine(
    int step,
    Double loss,
    double lr,
    Map<String, Double> valAccuracy,
    double elapsedS,
    double tokensPerS) {}
