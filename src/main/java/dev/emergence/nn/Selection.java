package dev.emergence.nn;

import org.tensorflow.Operand;
import org.tensorflow.types.TInt32;

/**
 * The positions whose logits a pass computes (the answer-only path): {@code positions [K, B, P]}
 * (int32, each in {@code 0..T-1}), P = {@code perRow} per row. The last block application computes
 * keys and values at every position but everything else only at these.
 */
public record Selection(Operand<TInt32> positions, int perRow) {}
