package dev.gatehouse.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one way to a credential check: a refused attempt is not checked, a wrong one counts, a
 * right one clears the streak, and one that was never checked (interrupted, or a store outage)
 * does not count against the person.
 */
class AttemptGateTest {

  /** Delays never apply (10 free failures, a lock after 3); 3 failures per address. */
  static final LoginThrottle.Settings NO_DELAY = new LoginThrottle.Settings(10,
      Duration.ofMillis(100), Duration.ofMillis(100), 3, Duration.ofMinutes(15), 3,
      Duration.ofMinutes(10));

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final LoginThrottle throttle = new LoginThrottle(NO_DELAY, clock, LoginThrottleTest::keyed);
  final AttemptGate gate = new AttemptGate(throttle);
  final AtomicInteger checks = new AtomicInteger();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  <T> Supplier<Optional<T>> counted(Optional<T> result) {
    return () -> {
      checks.incrementAndGet();
      return result;
    };
  }

  AttemptGate.Outcome<String> wrong(String subject, String ip) throws InterruptedException {
    return gate.attempt("acme", subject, ip, counted(Optional.empty()));
  }

  @Test
  void throttleWhenAskedThenTheOneItWasMadeWith() {
    assertThat(gate.throttle()).isSameAs(throttle);
  }

  @Test
  void attemptWhenRightThenPassedWithTheCheckedValue() throws Exception {
    assertThat(gate.attempt("acme", "alice", "10.0.0.1", counted(Optional.of("u1"))))
        .isEqualTo(new AttemptGate.Passed<>("u1"));
    assertThat(checks).hasValue(1);
  }

  @Test
  void attemptWhenWrongThenFailedAndTheLastAllowedOneLocks() throws Exception {
    assertThat(wrong("alice", "10.0.0.1"))
        .isEqualTo(new AttemptGate.Failed<>(new LoginThrottle.Failure(false, false)));
    assertThat(wrong("alice", "10.0.0.2"))
        .isEqualTo(new AttemptGate.Failed<>(new LoginThrottle.Failure(false, false)));
    assertThat(wrong("alice", "10.0.0.3"))
        .isEqualTo(new AttemptGate.Failed<>(new LoginThrottle.Failure(true, false)));
    assertThat(checks).hasValue(3);
  }

  @Test
  void attemptWhenLockedThenRefusedWithoutACheck() throws Exception {
    for (int i = 0; i < 3; i++) {
      wrong("alice", "10.0.0." + i);
    }
    assertThat(gate.attempt("acme", "alice", "10.0.0.9", counted(Optional.of("u1"))))
        .isEqualTo(new AttemptGate.Refused<>(LoginThrottle.Verdict.ACCOUNT_LOCKED));
    assertThat(checks).hasValue(3);
  }

  @Test
  void attemptWhenRightAfterWrongOnesThenTheStreakAndTheAddressCountAreCleared() throws Exception {
    wrong("alice", "10.0.0.1");
    wrong("alice", "10.0.0.1");
    gate.attempt("acme", "alice", "10.0.0.1", counted(Optional.of("u1")));
    // Two more wrong ones would lock had the streak been kept (a lock after 3).
    wrong("alice", "10.0.0.2");
    assertThat(wrong("alice", "10.0.0.3"))
        .isEqualTo(new AttemptGate.Failed<>(new LoginThrottle.Failure(false, false)));
    // The address had 2 of its 3 failures, and the success took back its own reservation.
    assertThat(wrong("bob", "10.0.0.1"))
        .isEqualTo(new AttemptGate.Failed<>(new LoginThrottle.Failure(false, true)));
  }

  @Test
  void attemptWhenTheCheckBreaksThenRethrownAndNotCountedAgainstThePerson() throws Exception {
    Supplier<Optional<String>> outage = () -> {
      throw new IllegalStateException("store down");
    };
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> gate.attempt("acme", "alice", "10.0.0.1", outage))
          .isInstanceOf(IllegalStateException.class).hasMessage("store down");
    }
    // Neither the subject (a lock after 3) nor the address (3 per window) counted them.
    wrong("alice", "10.0.0.1");
    wrong("alice", "10.0.0.1");
    assertThat(wrong("alice", "10.0.0.1"))
        .isEqualTo(new AttemptGate.Failed<>(new LoginThrottle.Failure(true, true)));
  }

  @Test
  void attemptWhenInterruptedBeforeTheCheckThenRethrownUncheckedAndNotCounted() {
    for (int i = 0; i < 5; i++) {
      Thread.currentThread().interrupt();
      assertThatThrownBy(() -> gate.attempt("acme", "alice", "10.0.0.1",
          counted(Optional.of("u1")))).isInstanceOf(InterruptedException.class);
    }
    assertThat(checks).hasValue(0);
    assertThat(throttle.reserve("acme", "alice", "10.0.0.1").verdict())
        .isEqualTo(LoginThrottle.Verdict.GO);
    assertThat(throttle.delay("acme", "alice")).isZero();
  }

  @Test
  void attemptWhenDelayedThenWaitsBeforeTheCheckAndAnInterruptRefunds() throws Exception {
    // No free failure: the first attempt already waits (an hour: the test interrupts it).
    LoginThrottle slow = new LoginThrottle(new LoginThrottle.Settings(0, Duration.ofHours(1),
        Duration.ofHours(1), 3, Duration.ofMinutes(15), 1, Duration.ofMinutes(10)), clock,
        LoginThrottleTest::keyed);
    AttemptGate slowGate = new AttemptGate(slow);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        slowGate.attempt("acme", "alice", "10.0.0.1", counted(Optional.of("u1")));
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    t.start();
    while (t.getState() != Thread.State.TIMED_WAITING && t.isAlive()) {
      Thread.onSpinWait();
    }
    assertThat(t.getState()).isEqualTo(Thread.State.TIMED_WAITING);
    assertThat(checks).hasValue(0);
    t.interrupt();
    t.join();
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertThat(checks).hasValue(0);
    // Refunded: the address (1 failure per window) is not used up.
    assertThat(slow.reserve("acme", "bob", "10.0.0.1").verdict())
        .isEqualTo(LoginThrottle.Verdict.GO);
  }

  @Test
  void attemptWhenMoreThanTheBoundAtOnceThenTheRestWaitForAFreeCheck() throws Exception {
    int bound = Math.max(2, Runtime.getRuntime().availableProcessors());
    LoginThrottle roomy = new LoginThrottle(new LoginThrottle.Settings(10, Duration.ZERO,
        Duration.ZERO, 3, Duration.ofMinutes(15), 1_000, Duration.ofMinutes(10)), clock,
        LoginThrottleTest::keyed);
    AttemptGate bounded = new AttemptGate(roomy);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch allIn = new CountDownLatch(bound);
    Supplier<Optional<String>> held = () -> {
      checks.incrementAndGet();
      allIn.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Optional.of("u");
    };
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i <= bound; i++) {
      String subject = "user" + i;
      Thread t = new Thread(() -> {
        try {
          bounded.attempt("acme", subject, "10.0.0.1", held);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      threads.add(t);
      if (i < bound) {
        t.start();
      }
    }
    allIn.await();
    Thread last = threads.get(bound);
    last.start();
    while (last.getState() != Thread.State.WAITING && last.isAlive()) {
      Thread.onSpinWait();
    }
    // Parked on the bound, not in a check.
    assertThat(checks).hasValue(bound);
    release.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(checks).hasValue(bound + 1);
  }

  @Test
  void attemptWhenManyInTurnThenEachFreesItsCheck() throws Exception {
    int bound = Math.max(2, Runtime.getRuntime().availableProcessors());
    for (int i = 0; i < bound + 2; i++) {
      assertThat(gate.attempt("acme", "alice", "10.0.0.1", counted(Optional.of("u1"))))
          .isInstanceOf(AttemptGate.Passed.class);
    }
    assertThat(checks).hasValue(bound + 2);
  }
}
