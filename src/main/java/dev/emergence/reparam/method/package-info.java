/**
 * The methods (direct, the two-stage GNN method, L-BFGS, conjugate gradients) as implementations of
 * one interface chosen by {@link dev.emergence.reparam.method.MethodKind}, the stopping rule they
 * share, and the settings records they run with.
 *
 * <p>Records here write their JSON properties in snake case.
 */
@dev.emergence.report.Json.SnakeCase
package dev.emergence.reparam.method;
