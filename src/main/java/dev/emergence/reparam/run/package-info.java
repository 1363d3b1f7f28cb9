/**
 * One {@code reparam} run: the methods over seeds on one problem, its target, result, metrics and
 * plots.
 *
 * <p>Records here write their JSON properties in snake case.
 */
@dev.emergence.report.Json.SnakeCase
package dev.emergence.reparam.run;
