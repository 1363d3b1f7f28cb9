package dev.emergence.listops;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the values of a task are: the leaves expressions are made of, the answers they can have, how
 * both are written, and the operators that combine them. ListOps uses the numbers modulo n ({@link
 * Modulus}); group tasks use the elements of a finite permutation group ({@link Group}).
 *
 * <p>Values are the ints {@code 0 .. values()-1}. The first {@link #leaves()} of them are the
 * leaves; any further ones are values only an answer can take (a group task's answer digits). Every
 * value is one token, and the {@link Vocabulary} of a domain lists them in value order after its
 * operators.
 */
public sealed interface Domain permits Modulus, Group {
  /** The group called {@code group} (S3, S4, Z6), or with {@code group} null the numbers mod n. */
  static Domain of(String group, int modulus) {
    return group == null ? Modulus.of(modulus) : Group.named(group);
  }

  /** The operators of this domain, in vocabulary order. */
  List<? extends ListOperator> operators();

  /** Number of leaf values: the arguments of a list are these values or lists. */
  int leaves();

  /** Number of values: the leaves, then the values only an answer takes. */
  int values();

  /** The printed token of a value, e.g. {@code 7} or {@code p120}. */
  String token(int value);

  /** The value written as {@code token}, or -1 when it is not a value of this domain. */
  int value(String token);

  /**
   * Whether a leaf may start with {@code c}; the parser then reads the run of letters and digits.
   */
  boolean startsLeaf(char c);

  /**
   * The value of the leaf written at {@code text[start, end)}; throws {@link
   * ListOpsSyntaxException} naming what is wrong with it and where.
   */
  int leaf(String text, int start, int end);

  /** How a leaf looks, for messages: "a number", "an element of S3 like p120". */
  String leafDescription();

  /**
   * How a value token looks, for messages: "a number 0..9", "an element of S3 like p120 or an
   * answer digit 0..2".
   */
  String valueDescription();

  /** What the domain is, for messages: "numbers modulo 10", "S3". */
  String description();

  /**
   * The value of {@code op} (one of {@link #operators()}) on {@code values[from..to)}, which holds
   * at least one leaf value. May reorder that slice: callers pass scratch storage.
   */
  int apply(ListOperator op, int[] values, int from, int to);

  /** The group, when the values are the elements of one. */
  default Optional<Group> group() {
    return Optional.empty();
  }

  /** The operator of this domain called {@code name} (exact, upper case), or null. */
  default ListOperator operatorNamed(String name) {
    for (ListOperator op : operators()) if (op.name().equals(name)) return op;
    return null;
  }

  /**
   * "known: A, B, C" for a message about the unknown operator {@code name}; when {@code name} is an
   * operator of the other kind of task, says so.
   */
  default String knownOperators(String name) {
    String known =
        "known: " + operators().stream().map(ListOperator::name).collect(Collectors.joining(", "));
    return ListOperator.anyNamed(name)
        .map(
            op ->
                known
                    + "; "
                    + name
                    + " is an operator of "
                    + (op instanceof GroupOperator ? "group" : "digit")
                    + " tasks")
        .orElse(known);
  }

  /** Checks that {@code op} is an operator of this domain. */
  default void checkOperator(ListOperator op) {
    if (!operators().contains(op)) {
      throw new IllegalArgumentException(
          "operator "
              + op.name()
              + " is not an operator of "
              + description()
              + " ("
              + knownOperators(op.name())
              + ")");
    }
  }
}
