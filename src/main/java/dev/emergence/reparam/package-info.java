/**
 * Neural reparametrization: the {@link dev.emergence.reparam.Problem} interface every method works
 * against, the settings records a problem declares its options with, targets, traces and the exact
 * linear solve. Graph specs and point clouds are in {@code graph}, the problems and their registry
 * in {@code problem}, the methods and their settings in {@code method}, one run in {@code run}, the
 * benchmark in {@code bench}.
 *
 * <p>Records here write their JSON properties in snake case.
 */
@dev.emergence.report.Json.SnakeCase
package dev.emergence.reparam;
