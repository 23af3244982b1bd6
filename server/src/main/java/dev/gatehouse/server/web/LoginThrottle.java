package dev.gatehouse.server.web;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brute-force protection for password sign-in: per account (tenant and username, whether or not
 * the user exists, so that a lock reveals nothing) a progressive delay after a few failures, then
 * a temporary lock; per client IP address a cap on failures in a window. Counters live in an
 * {@link AttemptCounter}: this node's memory, or Redis when configured, so that a lock holds on
 * every node (account names are hashed in counter keys). Locks are logged here; {@link #failed}
 * tells the caller when a failure begins a lock or caps an address, which it records as security
 * events.
 */
final class LoginThrottle {

  private static final Logger LOG = LoggerFactory.getLogger("dev.gatehouse.security");

  /** The thresholds (the {@code signin.lockout.*} and {@code signin.ip-throttle.*} keys). */
  record Settings(int freeFailures, Duration baseDelay, Duration maxDelay, int lockAfter,
      Duration lockFor, int ipFailures, Duration ipWindow) {}

  private final Settings settings;
  private volatile AttemptCounter counter;

  /** What to do before checking a password. */
  enum Verdict { GO, ACCOUNT_LOCKED, IP_THROTTLED }

  LoginThrottle(Settings settings, Clock clock) {
    this(settings, clock, new InMemoryAttemptCounter(clock));
  }

  /** A throttle counting in {@code counter}; {@code clock} only matters to the in-memory one. */
  LoginThrottle(Settings settings, Clock clock, AttemptCounter counter) {
    this.settings = settings;
    this.counter = counter;
  }

  /** Keeps the counts in {@code shared} from now on (Redis: one count for every node). */
  void useCounter(AttemptCounter shared) {
    this.counter = shared;
  }

  Verdict check(String tenantId, String username, String ip) {
    if (counter.count(ipKey(ip)) >= settings.ipFailures()) {
      LOG.warn("event=login_ip_throttled tenant={} ip={}", tenantId, ip);
      return Verdict.IP_THROTTLED;
    }
    String account = account(tenantId, username);
    if (counter.count("lock:" + account) > 0) {
      LOG.warn("event=login_account_locked tenant={} username_hash={}", tenantId,
          account.substring(account.length() - 8));
      return Verdict.ACCOUNT_LOCKED;
    }
    return Verdict.GO;
  }

  /** The delay to impose before answering this attempt (a failure streak slows the account). */
  Duration delay(String tenantId, String username) {
    long over = counter.count("fail:" + account(tenantId, username)) - settings.freeFailures();
    if (over < 0) {
      return Duration.ZERO;
    }
    long ms = settings.baseDelay().toMillis() << Math.min(over, 20);
    return Duration.ofMillis(Math.min(ms, settings.maxDelay().toMillis()));
  }

  /** What one failure changed, for the security events: a lock begun, an address capped. */
  record Failure(boolean lockedAccount, boolean throttledIp) {}

  Failure failed(String tenantId, String username, String ip) {
    long ipFailures = counter.increment(ipKey(ip), settings.ipWindow(), false);
    String account = account(tenantId, username);
    long failures = counter.increment("fail:" + account,
        settings.lockFor().plus(Duration.ofMinutes(15)), true);
    boolean locked = false;
    if (failures >= settings.lockAfter()) {
      counter.increment("lock:" + account, settings.lockFor(), false);
      counter.reset("fail:" + account);
      locked = true;
      LOG.warn("event=login_account_lock tenant={} ip={} minutes={}", tenantId, ip,
          settings.lockFor().toMinutes());
    }
    // The increment that reaches the cap (exactly once per window, on every node: the counter's
    // increment is atomic) is the one that reports it.
    return new Failure(locked, ipFailures == settings.ipFailures());
  }

  void succeeded(String tenantId, String username) {
    String account = account(tenantId, username);
    counter.reset("fail:" + account);
    counter.reset("lock:" + account);
  }

  private static String ipKey(String ip) {
    return "ip:" + ip;
  }

  /**
   * {@code tenant:hash}: the account's counter name. The user name is hashed (SHA-256, lower-cased
   * first) so that no counter store, Redis included, holds user names.
   */
  private static String account(String tenantId, String username) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest((username == null ? ""
          : username.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
      return tenantId + ":" + HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
