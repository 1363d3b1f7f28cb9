package dev.emergence.listops;

import com.google.common.base.Preconditions;

/**
 * Number of arguments of each list, drawn uniformly from min..max. Text: {@code 2-3}, or {@code 3}
 * for 2..3.
 */
public record Arity(int min, int max) {
  public static final Arity DEFAULT = new Arity(2, 3);

  public Arity {
    Preconditions.checkArgument(min >= 1, "minimum arity must be at least 1, got %s", min);
    Preconditions.checkArgument(
        max >= min, "maximum arity must be at least the minimum %s, got %s", min, max);
    Preconditions.checkArgument(max <= 64, "maximum arity must be at most 64, got %s", max);
  }

  public static Arity parse(String text) {
    String t = text.trim();
    try {
      int dash = t.indexOf('-');
      if (dash < 0) {
        int max = Integer.parseInt(t);
        Preconditions.checkArgument(
            max >= 2, "arity '%s' as a maximum must be at least 2 (use 1-1 for lists of one)", t);
        return new Arity(2, max);
      }
      return new Arity(
          Integer.parseInt(t.substring(0, dash).trim()),
          Integer.parseInt(t.substring(dash + 1).trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "bad arity '" + text + "': expected MIN-MAX like 2-3, or a maximum like 3");
    }
  }

  @Override
  public String toString() {
    return min + "-" + max;
  }
}
