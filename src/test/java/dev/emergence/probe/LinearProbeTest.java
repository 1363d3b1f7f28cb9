package dev.emergence.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.emergence.listops.Group;
import dev.emergence.session.SessionConfig;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LinearProbeTest {

  @Test
  void valuesLabelledBelowZeroAreLeftOutWithTheirRows() {
    // values 0..5 on a line by class (0, 2, 4 at +1; 1, 3 at -1), and value 5 planted at +1 with
    // class 1: it would break the separation unless left out
    int values = 6;
    int[] rows = IntStream.range(0, 60).map(i -> i % values).toArray();
    float[] features = new float[rows.length * 2];
    for (int i = 0; i < rows.length; i++) {
      features[2 * i] = rows[i] % 2 == 0 || rows[i] == 5 ? 1f : -1f;
      features[2 * i + 1] = 0.01f * i;
    }
    LinearProbe probe = new LinearProbe(SessionConfig.cpu(1));
    IntUnaryOperator parity = v -> v == 5 ? -1 : v % 2;
    assertEquals(1.0, probe.crossValidate(features, 2, rows, values, parity, 0), 1e-9);
    IntUnaryOperator alone = v -> v == 0 ? 1 : 0; // a class of one value: nothing to hold out
    assertNull(probe.crossValidate(features, 2, rows, values, alone, 0));
  }

  @Test
  void cycleTypeClassesLeaveOutTheIdentity() {
    IntUnaryOperator s4 = Prober.cycleTypeClass(Group.S4);
    assertEquals(-1, s4.applyAsInt(Group.S4.identity()));
    Set<Integer> classes = IntStream.range(0, 24).map(s4).boxed().collect(Collectors.toSet());
    assertEquals(Set.of(-1, 0, 1, 2, 3), classes, "four cycle types besides the identity's");
  }
}
