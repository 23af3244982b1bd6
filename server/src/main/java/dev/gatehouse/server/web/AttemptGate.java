package dev.gatehouse.server.web;

import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The one way through to a credential check (a password, a TOTP or recovery code, a passkey):
 * reserve an attempt in the {@link LoginThrottle}, wait out its delay, then check within a bound
 * on concurrent checks, and refund the reservation on success or keep it as a failure.
 *
 * <p>The bound exists for Argon2id, which takes 19 MiB per check: unbounded concurrency would let
 * a burst of sign-ins exhaust a small heap. Checks beyond one per core (at least two) queue
 * instead; they are CPU-bound anyway. The bound is per node and covers the hosted pages' checks
 * (SignInHttp makes the one gate that the second-factor and account pages share); hashing a
 * password an admin sets through the admin API does not pass it.
 */
final class AttemptGate {

  private final LoginThrottle throttle;
  private final Semaphore checks = new Semaphore(
      Math.max(2, Runtime.getRuntime().availableProcessors()), true);

  AttemptGate(LoginThrottle throttle) {
    this.throttle = throttle;
  }

  LoginThrottle throttle() {
    return throttle;
  }

  /** How an attempt ended: refused unchecked, failed, or the check's result. */
  sealed interface Outcome<T> {}

  /** Not checked: the subject is locked or the address capped. */
  record Refused<T>(LoginThrottle.Verdict verdict) implements Outcome<T> {}

  /** Checked and wrong; {@code failure} says whether it began a lock or capped the address. */
  record Failed<T>(LoginThrottle.Failure failure) implements Outcome<T> {}

  record Passed<T>(T value) implements Outcome<T> {}

  /**
   * Runs {@code check} (empty: wrong) as an attempt at {@code subject} of {@code tenantId} from
   * {@code ip}, if the throttle allows one.
   */
  <T> Outcome<T> attempt(String tenantId, String subject, String ip,
      Supplier<Optional<T>> check) throws InterruptedException {
    LoginThrottle.Reservation r = throttle.reserve(tenantId, subject, ip);
    if (r.verdict() != LoginThrottle.Verdict.GO) {
      return new Refused<>(r.verdict());
    }
    Optional<T> result;
    try {
      if (!r.delay().isZero()) {
        Thread.sleep(r.delay());
      }
      checks.acquire();
      try {
        result = check.get();
      } finally {
        checks.release();
      }
    } catch (InterruptedException | RuntimeException e) {
      // Not checked, or the check broke (a store outage): not the person's failure.
      throttle.refund(tenantId, subject, ip);
      throw e;
    }
    if (result.isEmpty()) {
      return new Failed<>(throttle.failed(tenantId, subject, ip));
    }
    throttle.succeeded(tenantId, subject, ip);
    return new Passed<>(result.get());
  }
}
