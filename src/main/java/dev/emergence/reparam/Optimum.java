package dev.emergence.reparam;

/** The exact optimum of a problem: x* and E* = E(x*). */
public record Optimum(double[] x, double energy) {}
