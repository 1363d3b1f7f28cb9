import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CI's check of the quickstart's figures: every row `| `json.path` | low .. high |` of the README's
 * table under "Quickstart figures CI checks" must hold for the quickstart's result.json.
 * Usage: java -cp "target/lib/*" .ci/CheckQuickstart.java README.md RUN/result.json
 */
public class CheckQuickstart {
  public static void main(String[] args) throws Exception {
    List<String> readme = Files.readAllLines(Path.of(args[0]));
    JsonNode result = new ObjectMapper().readTree(Path.of(args[1]).toFile());
    Pattern row = Pattern.compile("^\\|\\s*`([a-z0-9_.]+)`\\s*\\|\\s*([-0-9.eE]+)\\s*\\.\\.\\s*([-0-9.eE]+)\\s*\\|");
    boolean inSection = false;
    int checked = 0;
    int failed = 0;
    for (String line : readme) {
      if (line.startsWith("#")) {
        inSection = line.contains("Quickstart figures CI checks");
        continue;
      }
      Matcher m = row.matcher(line);
      if (!inSection || !m.find()) {
        continue;
      }
      JsonNode value = result;
      for (String key : m.group(1).split("\\.")) {
        value = value == null ? null : value.get(key);
      }
      double low = Double.parseDouble(m.group(2));
      double high = Double.parseDouble(m.group(3));
      boolean ok = value != null && value.isNumber() && value.asDouble() >= low && value.asDouble() <= high;
      System.out.printf("%-4s %-45s %s in [%s, %s]%n", ok ? "ok" : "FAIL", m.group(1), value, low, high);
      checked++;
      failed += ok ? 0 : 1;
    }
    if (checked == 0) {
      System.out.println("FAIL: no rows under a heading 'Quickstart figures CI checks' in " + args[0]);
      System.exit(1);
    }
    System.exit(failed == 0 ? 0 : 1);
  }
}
