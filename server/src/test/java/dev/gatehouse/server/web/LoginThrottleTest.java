package dev.gatehouse.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final MutableClock clock = new MutableClock();
  final LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Settings(2,
      Duration.ofMillis(100), Duration.ofMillis(350), 5, Duration.ofMinutes(15), 8,
      Duration.ofMinutes(10)), clock);

  @Test
  void failuresWhenPastTheFreeOnesThenDelayGrowsToTheMaximum() {
    assertThat(throttle.delay("acme", "alice")).isZero();
    throttle.failed("acme", "alice", "10.0.0.1");
    throttle.failed("acme", "alice", "10.0.0.1");
    assertThat(throttle.delay("acme", "alice")).isEqualTo(Duration.ofMillis(100));
    throttle.failed("acme", "Alice", "10.0.0.1");
    assertThat(throttle.delay("acme", "alice")).isEqualTo(Duration.ofMillis(200));
    throttle.failed("acme", "alice", "10.0.0.1");
    assertThat(throttle.delay("acme", "alice")).isEqualTo(Duration.ofMillis(350));
    assertThat(throttle.delay("globex", "alice")).isZero();
  }

  @Test
  void failuresWhenLockThresholdReachedThenAccountLockedUntilItExpires() {
    for (int i = 0; i < 5; i++) {
      assertThat(throttle.check("acme", "bob", "10.0.0.2")).isEqualTo(LoginThrottle.Verdict.GO);
      throttle.failed("acme", "bob", "10.0.0.2");
    }
    assertThat(throttle.check("acme", "bob", "10.0.0.3"))
        .isEqualTo(LoginThrottle.Verdict.ACCOUNT_LOCKED);
    assertThat(throttle.check("acme", "carol", "10.0.0.3")).isEqualTo(LoginThrottle.Verdict.GO);
    clock.now = clock.now.plus(Duration.ofMinutes(16));
    assertThat(throttle.check("acme", "bob", "10.0.0.3")).isEqualTo(LoginThrottle.Verdict.GO);
  }

  @Test
  void failuresWhenManyFromOneAddressThenAddressThrottled() {
    for (int i = 0; i < 8; i++) {
      throttle.failed("acme", "user" + i, "10.0.0.9");
    }
    assertThat(throttle.check("acme", "someone-else", "10.0.0.9"))
        .isEqualTo(LoginThrottle.Verdict.IP_THROTTLED);
    assertThat(throttle.check("acme", "someone-else", "10.0.0.10"))
        .isEqualTo(LoginThrottle.Verdict.GO);
  }

  @Test
  void successWhenAfterFailuresThenCounterReset() {
    throttle.failed("acme", "dave", "10.0.0.4");
    throttle.failed("acme", "dave", "10.0.0.4");
    throttle.failed("acme", "dave", "10.0.0.4");
    throttle.succeeded("acme", "dave");
    assertThat(throttle.delay("acme", "dave")).isZero();
  }
}
