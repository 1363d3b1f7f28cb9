package dev.emergence.experiments;

import com.google.common.base.Preconditions;
import com.google.common.base.Splitter;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --seeds} option of train, sweep and curriculum: a count N (seeds 0..N-1) or a list
 * such as 0,5,9.
 */
final class SeedList {
  private SeedList() {}

  // split drops trailing empty parts: "7," is the list of seed 7 alone ("7" is a count).
  static List<Long> parse(String text) {
    List<Long> out = new ArrayList<>();
    try {
      if (!text.contains(",")) {
        int n = Integer.parseInt(text.trim());
        Preconditions.checkArgument(
            n >= 1, "--seeds needs a count of at least 1 or a list like 0,5,9, got %s", text);
        for (long s = 0; s < n; s++) {
          out.add(s);
        }
      } else {
        for (String part : Splitter.on(',').split(text)) {
          out.add(Long.parseLong(part.trim()));
        }
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--seeds takes a count (4) or a list of seeds (0,5,9), got '" + text + "'");
    }
    Preconditions.checkArgument(
        out.stream().distinct().count() == out.size(), "--seeds lists a seed twice: %s", text);
    return out;
  }
}
