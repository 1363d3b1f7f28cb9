package dev.emergence.reparam.problem;

import dev.emergence.reparam.graph.GraphSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemsTest {
  @Test
  void everyRegisteredNameCreatesAProblemOfThatName() {
    assertEquals(Problems.DEFAULT, Problems.names().get(0));
    for (String name : Problems.names()) {
      assertEquals(name, Problems.create(name, GraphSpec.load("grid2d:4x3", 0)).name());
    }
    assertInstanceOf(HeatProblem.class, Problems.create("heat", GraphSpec.load("grid2d:4x3", 0)));
  }

  @Test
  void anUnknownNameFailsWithOneLineListingTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Problems.create("no-such-problem", GraphSpec.load("grid2d:4x3", 0)));
    assertEquals("unknown problem 'no-such-problem'; expected one of: " + String.join(", ", Problems.names()), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    assertThrows(IllegalArgumentException.class, () -> Problems.checkKnown(null));
  }

  @Test
  void theNamesAreThePicocliCandidates() {
    List<String> candidates = new java.util.ArrayList<>();
    new Problems.Names().forEach(candidates::add);
    assertEquals(Problems.names(), candidates);
  }
}
