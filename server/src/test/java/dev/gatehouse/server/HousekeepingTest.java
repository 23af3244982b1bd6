package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The periodic purge: one purge failing does not keep the others from running that cycle. */
class HousekeepingTest {

  @Test
  void runOnceWhenAPurgeFailsThenTheOthersStillRunAndTheFailureIsCounted() {
    List<String> ran = new ArrayList<>();
    List<Module.Purge> purges = List.of(
        new Module.Purge("sessions", () -> {
          ran.add("sessions");
          throw new IllegalStateException("table locked");
        }),
        new Module.Purge("codes", () -> ran.add("codes")),
        new Module.Purge("events", () -> {
          ran.add("events");
          throw new IllegalStateException("database away");
        }),
        new Module.Purge("tokens", () -> ran.add("tokens")));
    try (Housekeeping housekeeping = new Housekeeping(purges)) {
      assertThat(housekeeping.runOnce()).isEqualTo(2);
      assertThat(ran).containsExactly("sessions", "codes", "events", "tokens");
      ran.clear();
      assertThat(housekeeping.runOnce()).as("the next cycle runs every purge again").isEqualTo(2);
      assertThat(ran).containsExactly("sessions", "codes", "events", "tokens");
    }
  }

  @Test
  void runOnceWhenAllSucceedThenNoneFailed() {
    List<String> ran = new ArrayList<>();
    try (Housekeeping housekeeping = new Housekeeping(List.of(
        new Module.Purge("a", () -> ran.add("a")), new Module.Purge("b", () -> ran.add("b"))))) {
      assertThat(housekeeping.runOnce()).isZero();
      assertThat(ran).containsExactly("a", "b");
    }
  }
}
