package dev.emergence.listops;

import java.util.Optional;
import java.util.stream.Stream;

/**
 * An operator that opens a list, {@code [NAME ... ]}, in the expressions of one {@link Domain}: the
 * digit operators of ListOps ({@link Operator}) or the operators of group tasks ({@link
 * GroupOperator}). Its value is computed by {@link Domain#apply}.
 *
 * <p>Nesting rule. Most operators are element-valued: their value is a leaf value of the domain (a
 * number, a group element), so their list can be an argument of another list. A few answer
 * something else (the sign of a permutation, a point); they are not {@link #nestable()} and stand
 * only at the root of an expression. Their inner lists are {@link #inner()}: in a pure expression
 * every list below the root uses it, whatever the mix, so each operator's held-out sets stay
 * independent of the mix.
 */
public sealed interface ListOperator permits Operator, GroupOperator {
  /** The name, e.g. {@code SUM} or {@code PMUL}. */
  String name();

  /**
   * Position in its domain's operator list: the vocabulary id is {@link Vocabulary#FIRST_OPERATOR}
   * plus this.
   */
  int ordinal();

  /** The opening token, e.g. {@code [SUM}. */
  String token();

  /**
   * Whether the value is a leaf value of the domain, so the list may be an argument of another
   * list.
   */
  default boolean nestable() {
    return true;
  }

  /**
   * The operator of every inner list of a pure expression of this one: itself when {@link
   * #nestable()}.
   */
  default ListOperator inner() {
    return this;
  }

  /** The operator called {@code name} in any domain (exact, upper case). */
  static Optional<ListOperator> anyNamed(String name) {
    return Stream.<ListOperator>concat(
            Stream.of(Operator.values()), Stream.of(GroupOperator.values()))
        .filter(op -> op.name().equals(name))
        .findFirst();
  }
}
