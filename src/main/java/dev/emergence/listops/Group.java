package dev.emergence.listops;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A finite group of permutations of the points {@code 0 .. degree-1}: the {@link Domain} of group
 * tasks. An element is written in one-line notation, {@code p} and the images of 0, 1, ...: {@code
 * p120} sends 0 to 1, 1 to 2 and 2 to 0. Elements are numbered in lexicographic order of that
 * notation, so {@link GroupOperator#PMAX} is the largest number. Products apply left to right:
 * {@link #multiply} {@code (a, b)} is first a, then b (point i goes to b(a(i))).
 *
 * <p>Values: the elements are the leaves {@code 0 .. order-1}; then come the answer digits {@code 0
 * .. degree-1} (values {@code order .. order+degree-1}), the answers of {@link GroupOperator#PSIGN}
 * (0 even, 1 odd) and {@link GroupOperator#PAT0} (a point).
 *
 * <p>The known groups are {@link #S3}, {@link #S4} and the cyclic {@link #Z6} (the rotations of 6
 * points, rotation by k sends i to i+k mod 6 and is element k); a new one is one more constant and
 * registry entry.
 */
public final class Group implements Domain {
  /** The 6 permutations of 3 points. */
  public static final Group S3 = new Group("S3", "permutations", 3, allPermutations(3));

  /** The 24 permutations of 4 points. */
  public static final Group S4 = new Group("S4", "permutations", 4, allPermutations(4));

  /** The 6 rotations of 6 points: abelian, its product is addition modulo 6. */
  public static final Group Z6 = new Group("Z6", "rotations", 6, rotations(6));

  private static final List<Group> KNOWN = List.of(S3, S4, Z6);
  private static final List<GroupOperator> OPERATORS = List.of(GroupOperator.values());

  private final String name;
  private final String kind;
  private final int degree;
  private final int[][] images; // element -> the images of 0 .. degree-1
  private final String[] names;
  private final Map<String, Integer> byName = new HashMap<>();
  private final int[][] table; // table[a][b] = a then b
  private final int identity;
  private final int[] inverse;
  private final int[] sign;

  private Group(String name, String kind, int degree, List<int[]> permutations) {
    Preconditions.checkArgument(
        degree >= 2 && degree <= 10,
        "degree must be in 2..10 (one digit per point), got %s",
        degree);
    this.name = name;
    this.kind = kind;
    this.degree = degree;
    List<int[]> sorted = new ArrayList<>(permutations);
    sorted.sort(Arrays::compare);
    int order = sorted.size();
    images = sorted.toArray(new int[0][]);
    names = new String[order];
    for (int a = 0; a < order; a++) {
      names[a] = oneLine(images[a]);
      byName.put(names[a], a);
    }
    table = new int[order][order];
    int[] product = new int[degree];
    for (int a = 0; a < order; a++) {
      for (int b = 0; b < order; b++) {
        for (int i = 0; i < degree; i++) product[i] = images[b][images[a][i]];
        Integer c = byName.get(oneLine(product));
        Preconditions.checkArgument(
            c != null,
            "%s is not closed: %s then %s is %s",
            name,
            names[a],
            names[b],
            oneLine(product));
        table[a][b] = c;
      }
    }
    int[] id = new int[degree];
    Arrays.setAll(id, i -> i);
    Integer e = byName.get(oneLine(id));
    Preconditions.checkArgument(e != null, "%s has no identity", name);
    identity = e;
    inverse = new int[order];
    sign = new int[order];
    for (int a = 0; a < order; a++) {
      for (int b = 0; b < order; b++) if (table[a][b] == identity) inverse[a] = b;
      sign[a] = parity(images[a]);
    }
  }

  /** The group called {@code name} (S3, S4 or Z6; any case). */
  public static Group named(String name) {
    for (Group g : KNOWN) if (g.name.equals(name.trim().toUpperCase(Locale.ROOT))) return g;
    throw new IllegalArgumentException("unknown group '" + name + "' (known: " + known() + ")");
  }

  /** The known group names, comma separated. */
  public static String known() {
    return KNOWN.stream().map(Group::name).collect(Collectors.joining(", "));
  }

  /** S3, S4 or Z6. */
  public String name() {
    return name;
  }

  /** Number of points permuted. */
  public int degree() {
    return degree;
  }

  /** Number of elements. */
  public int order() {
    return images.length;
  }

  /** First a, then b. */
  public int multiply(int a, int b) {
    return table[a][b];
  }

  public int identity() {
    return identity;
  }

  public int inverse(int a) {
    return inverse[a];
  }

  /** 0 for an even permutation, 1 for an odd one. */
  public int sign(int a) {
    return sign[a];
  }

  /**
   * The cycle type of element a: its cycle lengths, longest first, fixed points included ({@code
   * 3}, {@code 2+1}, {@code 1+1+1} in S3). Conjugate elements, and only they in a symmetric group,
   * share it.
   */
  public String cycleType(int a) {
    boolean[] seen = new boolean[degree];
    List<Integer> lengths = new ArrayList<>();
    for (int start = 0; start < degree; start++) {
      int length = 0;
      for (int i = start; !seen[i]; i = images[a][i]) {
        seen[i] = true;
        length++;
      }
      if (length > 0) lengths.add(length);
    }
    lengths.sort(java.util.Comparator.reverseOrder());
    return lengths.stream().map(String::valueOf).collect(Collectors.joining("+"));
  }

  /** Where element a sends point i. */
  public int image(int a, int point) {
    return images[a][point];
  }

  /** The images of {@code 0 .. degree-1} under element a (a copy). */
  public int[] permutation(int a) {
    return images[a].clone();
  }

  /** The value of answer digit d (a sign or a point). */
  public int digit(int d) {
    Preconditions.checkArgument(
        d >= 0 && d < degree, "answer digit must be in 0..%s, got %s", degree - 1, d);
    return order() + d;
  }

  @Override
  public List<GroupOperator> operators() {
    return OPERATORS;
  }

  @Override
  public int leaves() {
    return order();
  }

  @Override
  public int values() {
    return order() + degree;
  }

  @Override
  public String token(int value) {
    return value < order() ? names[value] : Integer.toString(value - order());
  }

  @Override
  public int value(String token) {
    Integer element = byName.get(token);
    if (element != null) return element;
    if (token.length() == 1 && token.charAt(0) >= '0' && token.charAt(0) < '0' + degree)
      return digit(token.charAt(0) - '0');
    return -1;
  }

  @Override
  public boolean startsLeaf(char c) {
    return Character.isLetterOrDigit(c);
  }

  @Override
  public int leaf(String text, int start, int end) {
    String token = text.substring(start, end);
    Integer element = byName.get(token);
    if (element != null) return element;
    if (!token.matches("p[0-9]+")) {
      throw new ListOpsSyntaxException(
          "malformed element '"
              + token
              + "': expected p and the images of 0.."
              + (degree - 1)
              + ", like "
              + example(),
          start);
    }
    int points = token.length() - 1;
    if (points != degree) {
      throw new ListOpsSyntaxException(
          "element "
              + token
              + " has "
              + points
              + " points, but "
              + name
              + " permutes "
              + degree
              + " (like "
              + example()
              + ")",
          start);
    }
    throw new ListOpsSyntaxException(
        token
            + " is not an element of "
            + name
            + " (the "
            + kind
            + " of 0.."
            + (degree - 1)
            + ", like "
            + example()
            + ")",
        start);
  }

  @Override
  public String leafDescription() {
    return "an element of " + name + " like " + example();
  }

  @Override
  public String valueDescription() {
    return leafDescription() + " or an answer digit 0.." + (degree - 1);
  }

  @Override
  public String description() {
    return name;
  }

  @Override
  public int apply(ListOperator op, int[] values, int from, int to) {
    if (!(op instanceof GroupOperator groupOperator)) {
      throw new IllegalArgumentException(op.name() + " is not an operator of " + description());
    }
    return groupOperator.apply(values, from, to, this);
  }

  @Override
  public Optional<Group> group() {
    return Optional.of(this);
  }

  @Override
  public String toString() {
    return name;
  }

  /** The rotation by one, an element of every known group. */
  private String example() {
    int[] rotation = new int[degree];
    Arrays.setAll(rotation, i -> (i + 1) % degree);
    return oneLine(rotation);
  }

  private static String oneLine(int[] images) {
    StringBuilder out = new StringBuilder(images.length + 1).append('p');
    for (int i : images) out.append(i);
    return out.toString();
  }

  private static int parity(int[] p) {
    int inversions = 0;
    for (int i = 0; i < p.length; i++)
      for (int j = i + 1; j < p.length; j++) if (p[i] > p[j]) inversions++;
    return inversions & 1;
  }

  private static List<int[]> allPermutations(int n) {
    List<int[]> out = new ArrayList<>();
    permute(new int[n], new boolean[n], 0, out);
    return out;
  }

  private static void permute(int[] prefix, boolean[] used, int at, List<int[]> out) {
    if (at == prefix.length) {
      out.add(prefix.clone());
      return;
    }
    for (int v = 0; v < prefix.length; v++) {
      if (used[v]) continue;
      used[v] = true;
      prefix[at] = v;
      permute(prefix, used, at + 1, out);
      used[v] = false;
    }
  }

  private static List<int[]> rotations(int n) {
    List<int[]> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      int[] p = new int[n];
      for (int i = 0; i < n; i++) p[i] = (i + k) % n;
      out.add(p);
    }
    return out;
  }
}
