package dev.emergence.probe;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.emergence.listops.ListOperator;
import dev.emergence.listops.Split;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-operator test accuracy of the intact model beside the same with one sublayer's output zeroed
 * through the {@code ablate} signature: each block application's attention output in turn, then
 * each MLP output. Each map is {@code {"overall": x, "MAX": y, ...}} (overall pools every example).
 *
 * @param attention key {@code layer_i}: accuracy with application i's attention output zeroed
 * @param mlp key {@code layer_i}: accuracy with application i's MLP output zeroed
 */
@JsonPropertyOrder({"intact", "attention", "mlp"})
public record Ablation(
    Map<String, Double> intact,
    Map<String, Map<String, Double>> attention,
    Map<String, Map<String, Double>> mlp) {

  public static Ablation run(ExportedModel model, Map<? extends ListOperator, Split> splits) {
    int n = model.applications();
    float[] ones = model.ones();
    Map<String, Double> intact = accuracy(model, splits, ones, ones);
    Map<String, Map<String, Double>> attention = new LinkedHashMap<>();
    Map<String, Map<String, Double>> mlp = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      float[] off = ones.clone();
      off[i] = 0f;
      attention.put(Activations.layer(i), accuracy(model, splits, off, ones));
      mlp.put(Activations.layer(i), accuracy(model, splits, ones, off));
    }
    return new Ablation(intact, attention, mlp);
  }

  /** Accuracy with the given gates, overall and per operator. */
  public static Map<String, Double> accuracy(
      ExportedModel model,
      Map<? extends ListOperator, Split> splits,
      float[] attnGates,
      float[] mlpGates) {
    Answers.Forward forward = (ids, b, t) -> model.argmax(ids, b, t, attnGates, mlpGates);
    Map<String, Double> out = new LinkedHashMap<>();
    long right = 0;
    long total = 0;
    Map<String, Double> per = new LinkedHashMap<>();
    for (Map.Entry<? extends ListOperator, Split> e : splits.entrySet()) {
      Split split = e.getValue();
      if (split.size() == 0) {
        continue;
      }
      List<Answers.Decoded> decoded =
          Answers.decode(
              forward,
              Activations.prompts(split),
              model.task().cot(),
              model.config().context(),
              model.vocab());
      int[] answers = new int[split.size()];
      for (int i = 0; i < answers.length; i++) {
        answers[i] = split.answer(i);
      }
      int ok = 0;
      for (boolean b : Answers.correct(decoded, answers)) {
        ok += b ? 1 : 0;
      }
      per.put(e.getKey().name(), ok / (double) answers.length);
      right += ok;
      total += answers.length;
    }
    out.put("overall", total == 0 ? null : right / (double) total);
    out.putAll(per);
    return out;
  }
}
