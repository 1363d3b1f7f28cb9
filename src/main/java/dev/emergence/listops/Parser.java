package dev.emergence.listops;

import java.util.Arrays;

/**
 * Parses ListOps text typed by a user. Accepts the canonical form {@code [MAX 2 9 [MIN 4 7 ] 0 ]} and
 * looser spacing ({@code [MAX 2 9 [MIN 4 7] 0]}); an operator name must follow its {@code [} directly.
 * A bare number is a valid expression. Anything else throws {@link ListOpsSyntaxException} with the
 * first problem and its 0-based character position.
 */
final class Parser {
  private Parser() {}

  static Expression parse(String text, int modulus) {
    if (modulus < 2 || modulus > Modulus.MAX_N) {
      throw new IllegalArgumentException("modulus must be in 2..%d, got %d".formatted(Modulus.MAX_N, modulus));
    }
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
            "trailing text '" + abbreviate(text.substring(i)) + "' after the end of the expression", i);
      }
      if (c == '[') {
        int start = i + 1;
        int end = start;
        while (end < length && Character.isLetterOrDigit(text.charAt(end))) end++;
        if (end == start) throw new ListOpsSyntaxException("expected an operator name after '['", i);
        String name = text.substring(start, end);
        Operator op = null;
        for (Operator candidate : Operator.values()) if (candidate.name().equals(name)) op = candidate;
        if (op == null) {
          throw new ListOpsSyntaxException(
              "unknown operator '" + name + "' (known: " + Operator.known() + ")", start);
        }
        if (depth > 0) openArgs[depth - 1]++;
        if (depth == openPositions.length) {
          openPositions = Arrays.copyOf(openPositions, depth * 2);
          openArgs = Arrays.copyOf(openArgs, depth * 2);
        }
        openPositions[depth] = i;
        openArgs[depth] = 0;
        depth++;
        out[size++] = Vocabulary.operatorId(op);
        i = end;
      } else if (c == ']') {
        if (depth == 0) throw new ListOpsSyntaxException("unbalanced ']' with no open '['", i);
        if (openArgs[depth - 1] == 0) {
          throw new ListOpsSyntaxException(
              "empty list: the list opened at position " + openPositions[depth - 1] + " has no arguments", i);
        }
        depth--;
        out[size++] = Vocabulary.CLOSE;
        complete = depth == 0;
        i++;
      } else if (c >= '0' && c <= '9') {
        int start = i;
        long value = 0;
        while (i < length && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
          value = Math.min(value * 10 + (text.charAt(i) - '0'), Integer.MAX_VALUE);
          i++;
        }
        if (i < length && Character.isLetter(text.charAt(i))) {
          throw new ListOpsSyntaxException("unexpected character '" + text.charAt(i) + "' in a number", i);
        }
        if (value >= modulus) {
          throw new ListOpsSyntaxException(
              "number " + text.substring(start, i) + " out of range 0.." + (modulus - 1) + " (modulus " + modulus + ")",
              start);
        }
        out[size++] = Vocabulary.FIRST_NUMBER + (int) value;
        if (depth > 0) openArgs[depth - 1]++;
        else complete = true;
      } else {
        throw new ListOpsSyntaxException(
            "unexpected character '" + c + "' (expected '[OP', ']' or a number)", i);
      }
    }
    if (size == 0) throw new ListOpsSyntaxException("empty expression", length);
    if (depth > 0) {
      throw new ListOpsSyntaxException(
          "unbalanced brackets: " + depth + " '[' not closed (innermost opened at position "
              + openPositions[depth - 1] + ") at end of input",
          length);
    }
    return new Expression(Arrays.copyOf(out, size));
  }

  private static String abbreviate(String s) {
    return s.length() <= 20 ? s : s.substring(0, 17) + "...";
  }
}
