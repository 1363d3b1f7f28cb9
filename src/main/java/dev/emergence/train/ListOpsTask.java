package dev.emergence.train;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.emergence.listops.AnswerStats;
import dev.emergence.listops.Dataset;
import dev.emergence.listops.DatasetBuilder;
import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.Domain;
import dev.emergence.listops.EncodedBatch;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.Group;
import dev.emergence.listops.ListOperator;
import dev.emergence.listops.Modulus;
import dev.emergence.listops.Split;
import dev.emergence.listops.Tokenizer;
import dev.emergence.listops.Vocabulary;
import java.util.List;
import java.util.Map;

/**
 * A ListOps dataset made ready for a language model: every split encoded once into rows of one
 * length (the longest sequence of any split), so a training step only copies rows. Rows are {@code
 * expr = answer <end>} (or the chain of thought) padded with {@code <pad>}.
 */
public final class ListOpsTask {
  /**
   * Dataset sizes of the capacity study: 200k training rows, 500 validation and 2000 test rows per
   * operator.
   */
  public static final DatasetSpec DEFAULT_SIZES = new DatasetSpec(200_000, 500, 2000);

  /** What a run's {@code config.json} and an export's {@code task.json} record about the task. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder(alphabetic = true)
  public record Description(
      String tasks,
      String composition,
      int depth,
      String arity,
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
          Integer modulus,
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
          String group,
      double leafProbability,
      boolean cot,
      int sequenceLength,
      int trainSize,
      int valSizePerOperator,
      int testSizePerOperator,
      long dataSeed) {
    /** The values of the task: its group, or the numbers modulo its modulus. */
    public Domain domain() {
      return Domain.of(group, group == null ? modulus : 0);
    }
  }

  private final Dataset dataset;
  private final Tokenizer tokenizer;
  private final boolean cot;
  private final int length;
  private final int[] trainIds;
  private final float[] answerMask;

  private ListOpsTask(Dataset dataset, boolean cot) {
    this.dataset = dataset;
    this.tokenizer = new Tokenizer(new Vocabulary(dataset.config().domain()));
    this.cot = cot;
    int max = tokenizer.maxSequenceLength(dataset.train(), cot);
    for (Split s : dataset.validationSets().values())
      max = Math.max(max, tokenizer.maxSequenceLength(s, cot));
    for (Split s : dataset.testSets().values())
      max = Math.max(max, tokenizer.maxSequenceLength(s, cot));
    this.length = max;
    EncodedBatch train = tokenizer.encode(dataset.train(), 0, dataset.train().size(), length, cot);
    this.trainIds = train.ids();
    this.answerMask = train.lossMask();
  }

  public static ListOpsTask build(
      GeneratorConfig generator, DatasetSpec spec, long seed, boolean cot) {
    return new ListOpsTask(DatasetBuilder.build(generator, spec, seed), cot);
  }

  public Dataset dataset() {
    return dataset;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  public boolean cot() {
    return cot;
  }

  /** Tokens per row; the model reads {@code length - 1} of them. */
  public int length() {
    return length;
  }

  public Description description() {
    GeneratorConfig g = dataset.config();
    DatasetSpec sizes = dataset.spec();
    return new Description(
        g.tasks().toString(),
        g.composition().toString(),
        g.maxDepth(),
        g.arity().toString(),
        g.domain() instanceof Modulus m ? m.n() : null,
        g.domain().group().map(Group::name).orElse(null),
        g.leafProbability(),
        cot,
        length,
        sizes.trainSize(),
        sizes.validationPerOperator(),
        sizes.testPerOperator(),
        dataset.seed());
  }

  public int vocab() {
    return tokenizer.vocabulary().size();
  }

  public int trainSize() {
    return dataset.train().size();
  }

  public List<? extends ListOperator> operators() {
    return dataset.config().tasks().operators();
  }

  /**
   * Copies training rows {@code indices} into {@code ids} and their loss mask into {@code mask}
   * (both {@code [indices.length, length]}): the answer mask, or with {@link
   * TrainConfig.LossOn#ALL} every position whose next token is not padding.
   */
  public void trainBatch(int[] indices, TrainConfig.LossOn lossOn, int[] ids, float[] mask) {
    for (int row = 0; row < indices.length; row++) {
      int from = indices[row] * length;
      System.arraycopy(trainIds, from, ids, row * length, length);
      if (lossOn == TrainConfig.LossOn.ANSWER) {
        System.arraycopy(answerMask, from, mask, row * length, length);
      } else {
        for (int t = 0; t < length; t++) {
          mask[row * length + t] =
              t + 1 < length && trainIds[from + t + 1] != Vocabulary.PAD ? 1f : 0f;
        }
      }
    }
  }

  /** A held-out split of one operator, encoded. */
  public EncodedBatch encode(Split split) {
    return tokenizer.encode(split, 0, split.size(), length, cot);
  }

  public Map<ListOperator, Split> validation() {
    return dataset.validationSets();
  }

  public Map<ListOperator, Split> test() {
    return dataset.testSets();
  }

  public AnswerStats testStats(ListOperator op) {
    return dataset.testStats(op);
  }

  /**
   * The most positions any training row puts the loss on: with {@link TrainConfig.LossOn#ANSWER}
   * and no chain of thought 2 (the answer and {@code <end>}); what the answer-only path needs.
   */
  public int maxAnswerPositions() {
    int max = 0;
    for (int row = 0; row < trainSize(); row++) {
      int n = 0;
      for (int t = 0; t + 1 < length; t++) {
        n += answerMask[row * length + t] != 0 ? 1 : 0;
      }
      max = Math.max(max, n);
    }
    return max;
  }
}
