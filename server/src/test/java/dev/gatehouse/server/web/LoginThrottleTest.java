package dev.gatehouse.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gatehouse.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoginThrottleTest {

  /** A keyed hash for tests: any function that hides its input will do. */
  static String keyed(String s) {
    return Integer.toHexString(("k" + s).hashCode());
  }

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Settings(2,
      Duration.ofMillis(100), Duration.ofMillis(350), 5, Duration.ofMinutes(15), 8,
      Duration.ofMinutes(10)), clock, LoginThrottleTest::keyed);

  /** One wrong attempt: reserved, then kept as a failure. */
  LoginThrottle.Failure fail(String tenant, String subject, String ip) {
    assertThat(throttle.reserve(tenant, subject, ip).verdict()).isEqualTo(LoginThrottle.Verdict.GO);
    return throttle.failed(tenant, subject, ip);
  }

  @Test
  void failuresWhenPastTheFreeOnesThenDelayGrowsToTheMaximum() {
    assertThat(throttle.delay("acme", "alice")).isZero();
    fail("acme", "alice", "10.0.0.1");
    fail("acme", "alice", "10.0.0.1");
    assertThat(throttle.delay("acme", "alice")).isEqualTo(Duration.ofMillis(100));
    fail("acme", "Alice", "10.0.0.1");
    assertThat(throttle.delay("acme", "alice")).isEqualTo(Duration.ofMillis(200));
    assertThat(throttle.reserve("acme", "alice", "10.0.0.1").delay())
        .isEqualTo(Duration.ofMillis(200));
    throttle.failed("acme", "alice", "10.0.0.1");
    assertThat(throttle.delay("acme", "alice")).isEqualTo(Duration.ofMillis(350));
    assertThat(throttle.delay("globex", "alice")).isZero();
  }

  @Test
  void failuresWhenLockThresholdReachedThenAccountLockedUntilItExpires() {
    for (int i = 0; i < 4; i++) {
      assertThat(fail("acme", "bob", "10.0.0.2").lockedAccount()).isFalse();
    }
    assertThat(fail("acme", "bob", "10.0.0.2").lockedAccount()).isTrue();
    assertThat(throttle.reserve("acme", "bob", "10.0.0.3").verdict())
        .isEqualTo(LoginThrottle.Verdict.ACCOUNT_LOCKED);
    assertThat(throttle.reserve("acme", "carol", "10.0.0.3").verdict())
        .isEqualTo(LoginThrottle.Verdict.GO);
    clock.advance(Duration.ofMinutes(16));
    assertThat(throttle.reserve("acme", "bob", "10.0.0.3").verdict())
        .isEqualTo(LoginThrottle.Verdict.GO);
  }

  @Test
  void failuresWhenManyFromOneAddressThenAddressThrottledAtThatTenantOnly() {
    for (int i = 0; i < 8; i++) {
      fail("acme", "user" + i, "10.0.0.9");
    }
    assertThat(throttle.reserve("acme", "someone-else", "10.0.0.9").verdict())
        .isEqualTo(LoginThrottle.Verdict.IP_THROTTLED);
    assertThat(throttle.reserve("acme", "someone-else", "10.0.0.10").verdict())
        .isEqualTo(LoginThrottle.Verdict.GO);
    // GH-07: the cap is per tenant.
    assertThat(throttle.reserve("globex", "someone-else", "10.0.0.9").verdict())
        .isEqualTo(LoginThrottle.Verdict.GO);
  }

  @Test
  void successWhenAfterFailuresThenCounterResetAndReservationRefunded() {
    fail("acme", "dave", "10.0.0.4");
    fail("acme", "dave", "10.0.0.4");
    fail("acme", "dave", "10.0.0.4");
    throttle.reserve("acme", "dave", "10.0.0.4");
    throttle.succeeded("acme", "dave", "10.0.0.4");
    assertThat(throttle.delay("acme", "dave")).isZero();
    for (int i = 0; i < 5; i++) {
      assertThat(throttle.reserve("acme", "x" + i, "10.0.0.4").verdict())
          .isEqualTo(LoginThrottle.Verdict.GO);
      throttle.succeeded("acme", "x" + i, "10.0.0.4");
    }
    assertThat(throttle.reserve("acme", "y", "10.0.0.4").verdict())
        .isEqualTo(LoginThrottle.Verdict.GO);
  }

  @Test
  void attemptsWhenConcurrentThenAtMostLockAfterChecked() throws Exception {
    AttemptGate gate = new AttemptGate(throttle);
    AtomicInteger checked = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        all.add(pool.submit(() -> gate.attempt("acme", "erin", "10.0.0.5", () -> {
          checked.incrementAndGet();
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return Optional.empty();
        })));
      }
      for (Future<?> f : all) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(checked.get()).isEqualTo(5);
  }

  @Test
  void countersWhenWrittenThenKeysHoldNoSubjectOrAddress() {
    List<String> keys = new ArrayList<>();
    ConcurrentHashMap<String, Long> counts = new ConcurrentHashMap<>();
    LoginThrottle t = new LoginThrottle(new LoginThrottle.Settings(2, Duration.ZERO,
        Duration.ZERO, 5, Duration.ofMinutes(1), 8, Duration.ofMinutes(1)),
        new AttemptCounter() {
          @Override
          public long increment(String key, Duration ttl, boolean slide) {
            keys.add(key);
            return counts.merge(key, 1L, Long::sum);
          }

          @Override
          public void decrement(String key) {
            counts.computeIfPresent(key, (k, v) -> v - 1);
          }

          @Override
          public long count(String key) {
            return counts.getOrDefault(key, 0L);
          }

          @Override
          public void reset(String key) {
            counts.remove(key);
          }
        }, LoginThrottleTest::keyed);
    t.reserve("acme", "Erin@Example.com", "192.0.2.77");
    t.failed("acme", "Erin@Example.com", "192.0.2.77");
    assertThat(keys).isNotEmpty().allSatisfy(k -> assertThat(k).contains("acme")
        .doesNotContainIgnoringCase("erin").doesNotContain("192.0.2.77"));
  }

  /** A throttle of {@code settings} on the test clock. */
  LoginThrottle throttle(int freeFailures, int lockAfter, int ipFailures) {
    return new LoginThrottle(new LoginThrottle.Settings(freeFailures, Duration.ofMillis(100),
        Duration.ofSeconds(10), lockAfter, Duration.ofMinutes(15), ipFailures,
        Duration.ofMinutes(10)), clock, LoginThrottleTest::keyed);
  }

  @Test
  void failuresWhenTheAddressReachesItsCapThenThatFailureAloneReportsIt() {
    for (int i = 0; i < 7; i++) {
      assertThat(fail("acme", "user" + i, "10.0.0.9").throttledIp()).isFalse();
    }
    assertThat(fail("acme", "user7", "10.0.0.9").throttledIp()).isTrue();
  }

  @Test
  void reserveWhenAddressCappedThenTheRefusalTakesNoSlot() {
    LoginThrottle t = throttle(10, 5, 2);
    assertThat(t.reserve("acme", "alice", "10.0.0.9").verdict())
        .isEqualTo(LoginThrottle.Verdict.GO);
    assertThat(t.reserve("acme", "bob", "10.0.0.9").verdict()).isEqualTo(LoginThrottle.Verdict.GO);
    assertThat(t.reserve("acme", "carol", "10.0.0.9").verdict())
        .isEqualTo(LoginThrottle.Verdict.IP_THROTTLED);
    // Alice's attempt in flight succeeds: its slot is free again, and carol's refusal held none.
    t.succeeded("acme", "alice", "10.0.0.9");
    assertThat(t.reserve("acme", "dave", "10.0.0.9").verdict()).isEqualTo(LoginThrottle.Verdict.GO);
  }

  @Test
  void reserveWhenAttemptsInFlightUseUpTheLockThenARefusalCountsNeitherAsFailureNorAtTheAddress() {
    LoginThrottle t = throttle(0, 2, 3);
    assertThat(t.reserve("acme", "alice", "10.0.0.9").verdict())
        .isEqualTo(LoginThrottle.Verdict.GO);
    assertThat(t.reserve("acme", "alice", "10.0.0.9").verdict())
        .isEqualTo(LoginThrottle.Verdict.GO);
    assertThat(t.reserve("acme", "alice", "10.0.0.9").verdict())
        .isEqualTo(LoginThrottle.Verdict.ACCOUNT_LOCKED);
    // Two failures pending: the delay of the next is that of two (100 ms << 2), not of three.
    assertThat(t.delay("acme", "alice")).isEqualTo(Duration.ofMillis(400));
    // One in flight is never checked: one attempt is left before the lock.
    t.refund("acme", "alice", "10.0.0.9");
    assertThat(t.reserve("acme", "alice", "10.0.0.9").verdict())
        .isEqualTo(LoginThrottle.Verdict.GO);
    // The address holds alice's two reservations, so bob has the third of its three.
    assertThat(t.reserve("acme", "bob", "10.0.0.9").verdict()).isEqualTo(LoginThrottle.Verdict.GO);
    assertThat(t.reserve("acme", "carol", "10.0.0.9").verdict())
        .isEqualTo(LoginThrottle.Verdict.IP_THROTTLED);
  }

  @Test
  void refundWhenNeverCheckedThenNeitherTheSubjectNorTheAddressCountsIt() {
    LoginThrottle t = throttle(1, 2, 1);
    for (int i = 0; i < 5; i++) {
      assertThat(t.reserve("acme", "alice", "10.0.0.9").verdict())
          .isEqualTo(LoginThrottle.Verdict.GO);
      t.refund("acme", "alice", "10.0.0.9");
    }
    assertThat(t.delay("acme", "alice")).isZero();
  }

  @Test
  void succeededWhenALockBeganWhileItWasCheckedThenTheLockIsLifted() {
    for (int i = 0; i < 3; i++) {
      fail("acme", "bob", "10.0.0.2");
    }
    assertThat(throttle.reserve("acme", "bob", "10.0.0.2").verdict())
        .isEqualTo(LoginThrottle.Verdict.GO);
    assertThat(fail("acme", "bob", "10.0.0.3").lockedAccount()).isTrue();
    // The first of the two was the right password: the person is back, the lock goes.
    throttle.succeeded("acme", "bob", "10.0.0.2");
    assertThat(throttle.reserve("acme", "bob", "10.0.0.2").verdict())
        .isEqualTo(LoginThrottle.Verdict.GO);
  }

  @Test
  void reserveWhenLockedThenLoggedWithTheTailOfTheCounterNameNotTheSubject() {
    Logger logger = (Logger) LoggerFactory.getLogger("dev.gatehouse.security");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      for (int i = 0; i < 5; i++) {
        fail("acme", "Frank@Example.com", "10.0.0.6");
      }
      throttle.reserve("acme", "frank@example.com", "10.0.0.6");
    } finally {
      logger.detachAppender(lines);
    }
    String account = "acme:" + keyed("attempt-subject\u0000acme\u0000frank@example.com");
    assertThat(lines.list).map(ILoggingEvent::getFormattedMessage)
        .contains("event=login_account_locked tenant=acme subject="
            + account.substring(account.length() - 8))
        .allSatisfy(m -> assertThat(m).doesNotContainIgnoringCase("frank"));
  }
}
