package dev.emergence.session;

import com.google.common.base.Preconditions;
import java.util.regex.Pattern;

/**
 * Dotted name scopes ({@code m3}, {@code m3.h0}) for variables and optimizer slots. TensorFlow's own
 * '/' scopes break the optimizers' slot creation, so scopes are plain name prefixes.
 */
public final class Scopes {
  private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_\\-]*(\\.[A-Za-z0-9_\\-]+)*");

  private Scopes() {}

  /** Returns {@code scope} if it is empty or a valid dotted scope; otherwise one line saying why not. */
  public static String check(String scope) {
    Preconditions.checkArgument(scope != null, "scope must not be null (use \"\" for none)");
    Preconditions.checkArgument(
        scope.isEmpty() || SCOPE.matcher(scope).matches(),
        "scope '%s' is not a dotted name: expected letters, digits, '_' or '-' joined by '.', e.g. m3 or m3.h0 (never '/')",
        scope);
    return scope;
  }

  /** {@code scope.name}, or {@code name} alone for the empty scope. */
  public static String name(String scope, String name) {
    return scope.isEmpty() ? name : scope + "." + name;
  }
}
