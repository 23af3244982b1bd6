package dev.gatehouse.server.web;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brute-force protection for every credential check (passwords, second-factor codes): per subject
 * (an account name, whether or not the user exists, so that a lock reveals nothing; or a user's
 * second factor) a progressive delay after a few failures, then a temporary lock; per tenant and
 * client address a cap on failures in a window. Counters live in an {@link AttemptCounter}: this
 * node's memory, or Redis when configured, so that a lock holds on every node.
 *
 * <p>An attempt is reserved before its check, atomically ({@link #reserve}): the reservation
 * counts as a failure until {@link #succeeded} refunds it. So concurrent requests cannot all read
 * "not locked yet" and then all be checked: at most {@code lock-after} checks of a subject happen
 * per window whatever the concurrency, and at most {@code ip-throttle.failures} per address.
 *
 * <p>Counter keys hold no names or addresses: each subject is a keyed hash (an HMAC under a key
 * derived from the master key), so a copy of the counter store cannot confirm a guessed account
 * name. Locks are logged here; {@link #failed} tells the caller when a failure begins a lock or
 * caps an address, which it records as security events.
 */
final class LoginThrottle {

  private static final Logger LOG = LoggerFactory.getLogger("dev.gatehouse.security");

  /** The thresholds (the {@code signin.lockout.*} and {@code signin.ip-throttle.*} keys). */
  record Settings(int freeFailures, Duration baseDelay, Duration maxDelay, int lockAfter,
      Duration lockFor, int ipFailures, Duration ipWindow) {}

  private final Settings settings;
  private final UnaryOperator<String> keyHash;
  private volatile AttemptCounter counter;

  /** What to do with an attempt. */
  enum Verdict { GO, ACCOUNT_LOCKED, IP_THROTTLED }

  /** A reserved attempt, or a refusal; {@link #delay} is the wait to impose before checking. */
  record Reservation(Verdict verdict, Duration delay) {}

  /**
   * A throttle counting in {@code counter}; {@code keyHash} turns a subject into its counter name
   * (a keyed hash: {@code SecretHasher::hash}).
   */
  LoginThrottle(Settings settings, AttemptCounter counter, UnaryOperator<String> keyHash) {
    this.settings = settings;
    this.counter = counter;
    this.keyHash = keyHash;
  }

  /** A throttle in this node's memory. */
  LoginThrottle(Settings settings, Clock clock, UnaryOperator<String> keyHash) {
    this(settings, new InMemoryAttemptCounter(clock), keyHash);
  }

  /** Keeps the counts in {@code shared} from now on (Redis: one count for every node). */
  void useCounter(AttemptCounter shared) {
    this.counter = shared;
  }

  /**
   * Reserves one attempt at {@code subject} from {@code ip}: refused when the subject is locked
   * or the address capped; otherwise counted as a failure until {@link #succeeded}.
   */
  Reservation reserve(String tenantId, String subject, String ip) {
    String account = account(tenantId, subject);
    String address = address(tenantId, ip);
    if (counter.count("lock:" + account) > 0) {
      LOG.warn("event=login_account_locked tenant={} subject={}", tenantId, tail(account));
      return new Reservation(Verdict.ACCOUNT_LOCKED, Duration.ZERO);
    }
    long ipCount = counter.increment(address, settings.ipWindow(), false);
    if (ipCount > settings.ipFailures()) {
      counter.decrement(address);
      LOG.warn("event=login_ip_throttled tenant={} ip={}", tenantId, ip);
      return new Reservation(Verdict.IP_THROTTLED, Duration.ZERO);
    }
    long n = counter.increment("fail:" + account, settings.lockFor().plus(Duration.ofMinutes(15)),
        true);
    // Checked again after counting: a lock begun meanwhile resets the failure count (see
    // failed), so a count read after that reset must not open a new series of checks.
    if (n > settings.lockAfter() || counter.count("lock:" + account) > 0) {
      // Attempts in flight already use up what is left before the lock.
      counter.decrement("fail:" + account);
      counter.decrement(address);
      LOG.warn("event=login_account_locked tenant={} subject={}", tenantId, tail(account));
      return new Reservation(Verdict.ACCOUNT_LOCKED, Duration.ZERO);
    }
    return new Reservation(Verdict.GO, delayAfter(n - 1));
  }

  /** The delay after {@code failures} earlier failures: a failure streak slows the subject. */
  private Duration delayAfter(long failures) {
    long over = failures - settings.freeFailures();
    if (over < 0) {
      return Duration.ZERO;
    }
    long ms = settings.baseDelay().toMillis() << Math.min(over, 20);
    return Duration.ofMillis(Math.min(ms, settings.maxDelay().toMillis()));
  }

  /** The delay the next attempt at {@code subject} would get. */
  Duration delay(String tenantId, String subject) {
    return delayAfter(counter.count("fail:" + account(tenantId, subject)));
  }

  /** What one failure changed, for the security events: a lock begun, an address capped. */
  record Failure(boolean lockedAccount, boolean throttledIp) {}

  /** Keeps a reserved attempt as a failure; locks the subject when it was the last allowed. */
  Failure failed(String tenantId, String subject, String ip) {
    String account = account(tenantId, subject);
    long failures = counter.count("fail:" + account);
    boolean locked = false;
    // INVARIANT: the lock is set before the failure count is reset (reserve relies on it).
    if (failures >= settings.lockAfter()
        && counter.increment("lock:" + account, settings.lockFor(), false) == 1) {
      counter.reset("fail:" + account);
      locked = true;
      LOG.warn("event=login_account_lock tenant={} ip={} minutes={}", tenantId, ip,
          settings.lockFor().toMinutes());
    }
    // The failure that reaches the cap is the one that reports it (about once per window).
    return new Failure(locked, counter.count(address(tenantId, ip)) == settings.ipFailures());
  }

  /** Refunds a reserved attempt that succeeded, and forgets the subject's failure streak. */
  void succeeded(String tenantId, String subject, String ip) {
    String account = account(tenantId, subject);
    counter.reset("fail:" + account);
    counter.reset("lock:" + account);
    counter.decrement(address(tenantId, ip));
  }

  /** Gives back a reserved attempt that was never checked. */
  void refund(String tenantId, String subject, String ip) {
    counter.decrement("fail:" + account(tenantId, subject));
    counter.decrement(address(tenantId, ip));
  }

  private String address(String tenantId, String ip) {
    return "ip:" + tenantId + ":" + keyHash.apply("attempt-address\u0000" + tenantId + "\u0000"
        + ip);
  }

  /** {@code tenant:hmac}: the subject's counter name, case-insensitive. */
  private String account(String tenantId, String subject) {
    return tenantId + ":" + keyHash.apply("attempt-subject\u0000" + tenantId + "\u0000"
        + (subject == null ? "" : subject.toLowerCase(Locale.ROOT)));
  }

  private static String tail(String account) {
    return account.substring(Math.max(0, account.length() - 8));
  }
}
