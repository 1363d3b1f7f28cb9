package dev.emergence.listops;

import java.util.Arrays;

/**
 * Parses expressions typed by a user, in a {@link Vocabulary}. Accepts the canonical form {@code
 * [MAX 2 9 [MIN 4 7 ] 0 ]} and looser spacing ({@code [MAX 2 9 [MIN 4 7] 0]}); an operator name
 * must follow its {@code [} directly. A bare leaf is a valid expression. Every argument is a leaf
 * or an element-valued list: an operator that is not {@link ListOperator#nestable()} (PSIGN, PAT0)
 * may only open the outermost list. Anything else throws {@link ListOpsSyntaxException} with the
 * first problem and its 0-based character position.
 */
final class Parser {
  private Parser() {}

  static Expression parse(String text, Vocabulary vocabulary) {
    Domain domain = vocabulary.domain();
    int[] out = new int[Math.max(4, text.length())];
    int size = 0;
    int[] openPositions = new int[8]; // character position of each open '['
    int[] openArgs = new int[8]; // arguments seen so far in each open list
    int depth = 0;
    boolean complete = false; // the root has been read
    int i = 0;
    int length = text.length();
    while (i < length) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      if (complete) {
        throw new ListOpsSyntaxException(
            "trailing text '" + abbreviate(text.substring(i)) + "' after the end of the expression",
            i);
      }
      if (c == '[') {
        int start = i + 1;
        int end = start;
        while (end < length && Character.isLetterOrDigit(text.charAt(end))) end++;
        if (end == start)
          throw new ListOpsSyntaxException("expected an operator name after '['", i);
        String name = text.substring(start, end);
        ListOperator op = domain.operatorNamed(name);
        if (op == null) {
          throw new ListOpsSyntaxException(
              "unknown operator '" + name + "' (" + domain.knownOperators(name) + ")", start);
        }
        if (depth > 0 && !op.nestable()) {
          throw new ListOpsSyntaxException(
              op.name()
                  + " does not answer "
                  + domain.leafDescription()
                  + ", so it can only open the outermost list",
              i);
        }
        if (depth > 0) openArgs[depth - 1]++;
        if (depth == openPositions.length) {
          openPositions = Arrays.copyOf(openPositions, depth * 2);
          openArgs = Arrays.copyOf(openArgs, depth * 2);
        }
        openPositions[depth] = i;
        openArgs[depth] = 0;
        depth++;
        out[size++] = vocabulary.id(op);
        i = end;
      } else if (c == ']') {
        if (depth == 0) throw new ListOpsSyntaxException("unbalanced ']' with no open '['", i);
        if (openArgs[depth - 1] == 0) {
          throw new ListOpsSyntaxException(
              "empty list: the list opened at position "
                  + openPositions[depth - 1]
                  + " has no arguments",
              i);
        }
        depth--;
        out[size++] = Vocabulary.CLOSE;
        complete = depth == 0;
        i++;
      } else if (domain.startsLeaf(c)) {
        int end = i;
        while (end < length && Character.isLetterOrDigit(text.charAt(end))) end++;
        out[size++] = vocabulary.valueId(domain.leaf(text, i, end));
        i = end;
        if (depth > 0) openArgs[depth - 1]++;
        else complete = true;
      } else {
        throw new ListOpsSyntaxException(
            "unexpected character '"
                + c
                + "' (expected '[OP', ']' or "
                + domain.leafDescription()
                + ")",
            i);
      }
    }
    if (size == 0) throw new ListOpsSyntaxException("empty expression", length);
    if (depth > 0) {
      throw new ListOpsSyntaxException(
          "unbalanced brackets: "
              + depth
              + " '[' not closed (innermost opened at position "
              + openPositions[depth - 1]
              + ") at end of input",
          length);
    }
    return new Expression(Arrays.copyOf(out, size), vocabulary);
  }

  private static String abbreviate(String s) {
    return s.length() <= 20 ? s : s.substring(0, 17) + "...";
  }
}
