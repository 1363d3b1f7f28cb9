package dev.emergence.listops;

import java.util.Locale;

/** How operators are chosen within one expression. */
public enum Composition {
  /** Every node's operator is drawn from the mix, as in ListOps. */
  MIXED,
  /** One operator per expression, drawn from the mix; all its nodes use it. */
  PURE;

  public static Composition parse(String text) {
    for (Composition c : values()) if (c.name().equalsIgnoreCase(text.trim())) return c;
    throw new IllegalArgumentException(
        "unknown composition '" + text + "' (expected mixed or pure)");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
