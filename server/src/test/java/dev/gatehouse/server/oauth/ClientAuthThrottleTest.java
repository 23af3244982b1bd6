package dev.gatehouse.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The client authentication limit counts failures only: a success reads memory, never Redis. */
class ClientAuthThrottleTest {

  private final AtomicLong calls = new AtomicLong();
  private final ClientAuthThrottle throttle =
      new ClientAuthThrottle((key, window) -> calls.incrementAndGet());

  @Test
  void whenOnlyCheckedThenTheSharedCounterIsNeverCalled() {
    for (int i = 0; i < 1_000; i++) {
      assertThat(throttle.locked("acme", "app")).isFalse();
    }
    assertThat(calls).hasValue(0);
  }

  @Test
  void whenFailuresReachTheLimitThenLockedForThatClientOnly() {
    for (int i = 1; i < ClientAuthThrottle.MAX_FAILURES; i++) {
      throttle.failed("acme", "app");
      assertThat(throttle.locked("acme", "app")).isFalse();
    }
    throttle.failed("acme", "app");
    assertThat(throttle.locked("acme", "app")).isTrue();
    assertThat(throttle.locked("acme", "other")).isFalse();
    assertThat(throttle.locked("globex", "app")).isFalse();
  }
}
