/**
 * The problems (heat diffusion, Kuramoto synchronization, persistent homology), each with its own
 * settings record, and their registry {@link dev.emergence.reparam.problem.Problems}.
 *
 * <p>Records here write their JSON properties in snake case.
 */
@dev.emergence.report.Json.SnakeCase
package dev.emergence.reparam.problem;
