package dev.emergence.reparam;

import java.util.Optional;

/**
 * The exact optimum of a problem: E* and, where it is the only minimizer (so that the distance to
 * it means something, {@code max_abs_error}), x*. Kuramoto's is no point: any common rotation of
 * the phases is as good.
 */
public record Optimum(double energy, Optional<double[]> x) {}
