package dev.gatehouse.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The counter behind the sign-in throttle on one node: fixed and sliding windows, expiry to the
 * millisecond, and a decrement (a refunded attempt) that never goes below zero.
 */
class InMemoryAttemptCounterTest {

  static final Duration TEN_MINUTES = Duration.ofMinutes(10);

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final InMemoryAttemptCounter counter = new InMemoryAttemptCounter(clock);

  void advance(Duration d) {
    clock.advance(d);
  }

  @Test
  void incrementWhenFixedWindowThenExpiresTtlAfterTheFirstIncrement() {
    assertThat(counter.increment("k", TEN_MINUTES, false)).isEqualTo(1);
    advance(Duration.ofMinutes(6));
    assertThat(counter.increment("k", TEN_MINUTES, false)).isEqualTo(2);
    advance(Duration.ofMinutes(5));
    // 11 minutes after the first increment: the window is over although the last was 5 ago.
    assertThat(counter.count("k")).isZero();
    assertThat(counter.increment("k", TEN_MINUTES, false)).isEqualTo(1);
  }

  @Test
  void incrementWhenSlidingThenEveryIncrementRestartsTheTtl() {
    counter.increment("k", TEN_MINUTES, true);
    advance(Duration.ofMinutes(6));
    counter.increment("k", TEN_MINUTES, true);
    advance(Duration.ofMinutes(5));
    assertThat(counter.count("k")).isEqualTo(2);
    assertThat(counter.increment("k", TEN_MINUTES, true)).isEqualTo(3);
  }

  @Test
  void countWhenExactlyAtExpiryThenExpired() {
    counter.increment("k", TEN_MINUTES, false);
    advance(TEN_MINUTES.minusMillis(1));
    assertThat(counter.count("k")).isEqualTo(1);
    advance(Duration.ofMillis(1));
    assertThat(counter.count("k")).isZero();
  }

  @Test
  void incrementWhenExactlyAtExpiryThenANewWindowStarts() {
    counter.increment("k", TEN_MINUTES, false);
    counter.increment("k", TEN_MINUTES, false);
    advance(TEN_MINUTES);
    assertThat(counter.increment("k", TEN_MINUTES, false)).isEqualTo(1);
    advance(TEN_MINUTES.minusMillis(1));
    assertThat(counter.count("k")).isEqualTo(1);
  }

  @Test
  void decrementWhenCountedThenOneLessAndTheExpiryUnchanged() {
    counter.increment("k", TEN_MINUTES, false);
    counter.increment("k", TEN_MINUTES, false);
    counter.increment("k", TEN_MINUTES, false);
    counter.decrement("k");
    assertThat(counter.count("k")).isEqualTo(2);
    advance(TEN_MINUTES);
    assertThat(counter.count("k")).isZero();
  }

  @Test
  void decrementWhenAtOneThenForgottenAndTheNextIncrementOpensANewWindow() {
    counter.increment("k", TEN_MINUTES, false);
    counter.decrement("k");
    assertThat(counter.count("k")).isZero();
    advance(Duration.ofMinutes(5));
    assertThat(counter.increment("k", TEN_MINUTES, false)).isEqualTo(1);
    // The window began at this increment, not at the one taken back.
    advance(Duration.ofMinutes(7));
    assertThat(counter.count("k")).isEqualTo(1);
  }

  @Test
  void decrementWhenAbsentThenNothingAndNeverBelowZero() {
    counter.decrement("absent");
    assertThat(counter.count("absent")).isZero();
    counter.increment("absent", TEN_MINUTES, false);
    counter.decrement("absent");
    counter.decrement("absent");
    assertThat(counter.count("absent")).isZero();
    assertThat(counter.increment("absent", TEN_MINUTES, false)).isEqualTo(1);
  }

  @Test
  void resetWhenCountedThenForgottenAndOtherKeysKept() {
    counter.increment("a", TEN_MINUTES, false);
    counter.increment("a", TEN_MINUTES, false);
    counter.increment("b", TEN_MINUTES, false);
    counter.reset("a");
    assertThat(counter.count("a")).isZero();
    assertThat(counter.count("b")).isEqualTo(1);
    assertThat(counter.increment("a", TEN_MINUTES, false)).isEqualTo(1);
  }
}
