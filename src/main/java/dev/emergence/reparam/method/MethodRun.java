package dev.emergence.reparam.method;

import dev.emergence.reparam.Trace;

/**
 * One method's run: its result, and what stays with the run: the answer x and the trace of its
 * gaps.
 */
// Arrays by design: the solution vector is a plain double[] for the numeric code.
@SuppressWarnings("ArrayRecordComponent")
public record MethodRun(MethodResult result, double[] solution, Trace trace) {}
