package dev.emergence.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The settings that define a piece of work (a benchmark cell, a sweep run) as canonical JSON and
 * its hash. A saved piece is reused on {@code --resume} only when its fingerprint equals the one
 * the command would compute now; otherwise {@link #differences} names what changed.
 */
public record Fingerprint(JsonNode settings, String hash) {

  /**
   * The fingerprint of a record, map or saved JSON of settings. Keys are sorted, so field order
   * does not matter; a saved fingerprint's hash is recomputed from its settings, never trusted.
   */
  public static Fingerprint of(Object settings) {
    JsonNode node = Json.mapper().valueToTree(settings);
    String canonical = Json.line(node);
    return new Fingerprint(
        node,
        Hashing.sha256().hashString(canonical, StandardCharsets.UTF_8).toString().substring(0, 16));
  }

  /** Each setting that differs, as {@code name: saved -> now}; empty when the two agree. */
  public List<String> differences(Fingerprint now) {
    List<String> out = new ArrayList<>();
    diff("", settings, now.settings, out);
    return out;
  }

  private static void diff(String path, JsonNode saved, JsonNode now, List<String> out) {
    if (saved != null && now != null && saved.isObject() && now.isObject()) {
      TreeSet<String> keys = new TreeSet<>();
      saved.fieldNames().forEachRemaining(keys::add);
      now.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        diff(path.isEmpty() ? key : path + "." + key, saved.get(key), now.get(key), out);
      }
    } else if (!text(saved)
        .equals(text(now))) { // as text: 3 read back from a file equals the long 3
      out.add(path + ": " + text(saved) + " -> " + text(now));
    }
  }

  private static String text(JsonNode node) {
    return node == null ? "(absent)" : node.toString();
  }
}
