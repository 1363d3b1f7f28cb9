package dev.emergence.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FingerprintTest {
  record Cell(String graph, long seed, double tolerance, Map<String, Object> gnn) {}

  @Test
  void equalSettingsHashEquallyAndAnyChangeIsNamed() {
    Fingerprint a =
        Fingerprint.of(new Cell("grid2d:64x64", 0, 1e-6, Map.of("hidden", 16, "layers", 3)));
    Fingerprint same =
        Fingerprint.of(new Cell("grid2d:64x64", 0, 1e-6, Map.of("layers", 3, "hidden", 16)));
    Fingerprint other =
        Fingerprint.of(new Cell("grid2d:64x64", 1, 1e-6, Map.of("hidden", 32, "layers", 3)));
    assertEquals(a.hash(), same.hash());
    assertEquals(List.of(), a.differences(same));
    assertNotEquals(a.hash(), other.hash());
    assertEquals(List.of("gnn.hidden: 16 -> 32", "seed: 0 -> 1"), a.differences(other));
  }

  @Test
  void aSavedFingerprintIsRecomputedFromItsSettings() {
    Fingerprint a = Fingerprint.of(new Cell("rgg:100:0.2", 3, 1e-6, Map.of()));
    assertEquals(a.hash(), Fingerprint.of(Json.mapper().valueToTree(a).get("settings")).hash());
    assertEquals(
        List.of("extra: (absent) -> 1"),
        a.differences(
            Fingerprint.of(
                Map.of(
                    "graph",
                    "rgg:100:0.2",
                    "seed",
                    3,
                    "tolerance",
                    1e-6,
                    "gnn",
                    Map.of(),
                    "extra",
                    1))));
  }
}
