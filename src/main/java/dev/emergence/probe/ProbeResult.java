package dev.emergence.probe;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.emergence.nn.GptConfig;
import dev.emergence.train.ListOpsTask;
import java.util.List;
import java.util.Map;

/**
 * What {@code probe} finds in one model; {@code probe.json} holds it (in compare mode, one per
 * model).
 *
 * @param model the export's directory
 * @param params the model's parameter count
 * @param explainedVariance each principal component's share of the number embeddings' variance
 * @param pc1 each number's coordinate on the first component (value order 0..n-1)
 * @param pc2 each number's coordinate on the second component
 * @param order Spearman rank correlation of pc1 with the number's value (0..1)
 * @param cosine the numbers' cosine-similarity matrix
 * @param cosineSummary mean cosine of neighbouring numbers, of equal and of unequal parity
 * @param parityProbeAccuracy held-out-number accuracy of a linear parity probe, by where it reads
 *     (of a group model: the sign of the element, the parity of the permutation)
 * @param modular the same for value mod p, for each prime factor p of the modulus (none for a
 *     group)
 * @param probeContexts number-token occurrences the probes train and test on
 * @param probeFolds held-out-number folds of the parity probe
 * @param attentionRatio per block application: mean norm of the attention output / mean norm of its
 *     input
 * @param ffnRatio per block application: mean norm of the MLP output / mean norm of its input
 * @param ablation per-operator accuracy intact and with each sublayer zeroed
 * @param examplesPerOperator test expressions per operator behind the ratios, probes and ablations
 * @param cycleTypeProbeAccuracy of a group model (absent for digits): held-out-element accuracy of
 *     a linear probe for the element's cycle type, by where it reads; the identity, alone in its
 *     class, is left out
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({
  "model",
  "task",
  "config",
  "params",
  "explained_variance",
  "pc1",
  "pc2",
  "order",
  "cosine",
  "cosine_summary",
  "parity_probe_accuracy",
  "modular",
  "probe_contexts",
  "probe_folds",
  "attention_ratio",
  "ffn_ratio",
  "ablation",
  "examples_per_operator",
  "cycle_type_probe_accuracy"
})
// Arrays by design: numeric vectors and a matrix, written to probe.json as arrays.
@SuppressWarnings("ArrayRecordComponent")
public record ProbeResult(
    String model,
    ListOpsTask.Description task,
    GptConfig config,
    long params,
    double[] explainedVariance,
    double[] pc1,
    double[] pc2,
    double order,
    double[][] cosine,
    Map<String, Double> cosineSummary,
    Map<String, Double> parityProbeAccuracy,
    Map<String, Map<String, Double>> modular,
    int probeContexts,
    int probeFolds,
    Map<String, Double> attentionRatio,
    Map<String, Double> ffnRatio,
    Ablation ablation,
    int examplesPerOperator,
    @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Double> cycleTypeProbeAccuracy) {

  /** The keys {@code embedding, layer_0, ...} in reading order. */
  public List<String> readPoints() {
    return List.copyOf(parityProbeAccuracy.keySet());
  }
}
