package dev.emergence.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The code a run ran: the git commit the jar was built from and whether the tree had uncommitted
 * changes then (from {@code git.properties}, written at build time by git-commit-id-maven-plugin).
 * Built outside a git checkout, the commit is {@code "unknown"}.
 */
public record Provenance(String commit, @JsonProperty("dirty") boolean dirty) {
  private static final Provenance CURRENT = load();

  /** The provenance of the running code. */
  public static Provenance current() {
    return CURRENT;
  }

  /**
   * The commit, marked {@code -dirty} when the tree had changes: one value for a results column.
   */
  public String label() {
    return dirty ? commit + "-dirty" : commit;
  }

  private static Provenance load() {
    try (InputStream in = Provenance.class.getResourceAsStream("/dev/emergence/git.properties")) {
      if (in == null) {
        return new Provenance("unknown", false);
      }
      Properties p = new Properties();
      p.load(in);
      return new Provenance(
          p.getProperty("git.commit.id.full", "unknown"),
          Boolean.parseBoolean(p.getProperty("git.dirty", "false")));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the build's git.properties: " + e.getMessage(), e);
    }
  }
}
