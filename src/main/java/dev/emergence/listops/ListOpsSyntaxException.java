package dev.emergence.listops;

/** Malformed ListOps text: the message names the problem and the 0-based character position. */
public final class ListOpsSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final int position;

  public ListOpsSyntaxException(String problem, int position) {
    super(problem + " at position " + position);
    this.position = position;
  }

  /** 0-based character offset of the problem in the input. */
  public int position() {
    return position;
  }
}
