/**
 * The benchmark ({@code reparam-bench}): cells of graph, optimizer and method, their learning-rate
 * search, fingerprints, resume and tables.
 *
 * <p>Records here write their JSON properties in snake case.
 */
@dev.emergence.report.Json.SnakeCase
package dev.emergence.reparam.bench;
