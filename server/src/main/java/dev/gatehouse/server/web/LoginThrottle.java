package dev.gatehouse.server.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brute-force protection for password sign-in: per account (tenant and username, whether or not
 * the user exists, so that a lock reveals nothing) a progressive delay after a few failures, then
 * a temporary lock; per client IP address a cap on failures in a window. Counters live in this
 * node's memory. Locks are logged here; {@link #failed} tells the caller when a failure begins a
 * lock or caps an address, which it records as security events.
 */
final class LoginThrottle {

  private static final Logger LOG = LoggerFactory.getLogger("dev.gatehouse.security");

  /** The thresholds (the {@code signin.lockout.*} and {@code signin.ip-throttle.*} keys). */
  record Settings(int freeFailures, Duration baseDelay, Duration maxDelay, int lockAfter,
      Duration lockFor, int ipFailures, Duration ipWindow) {}

  private final Settings settings;
  private final Clock clock;
  private final Cache<String, Account> accounts;
  private final Cache<String, AtomicInteger> ips;

  private static final class Account {
    int failures;
    long lockedUntil;
  }

  /** What to do before checking a password. */
  enum Verdict { GO, ACCOUNT_LOCKED, IP_THROTTLED }

  LoginThrottle(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.accounts = Caffeine.newBuilder().maximumSize(1_000_000)
        .expireAfterAccess(settings.lockFor().plus(Duration.ofMinutes(15))).build();
    this.ips = Caffeine.newBuilder().maximumSize(1_000_000)
        .expireAfterWrite(settings.ipWindow()).build();
  }

  Verdict check(String tenantId, String username, String ip) {
    AtomicInteger ipFailures = ips.getIfPresent(ip);
    if (ipFailures != null && ipFailures.get() >= settings.ipFailures()) {
      LOG.warn("event=login_ip_throttled tenant={} ip={}", tenantId, ip);
      return Verdict.IP_THROTTLED;
    }
    Account a = accounts.getIfPresent(key(tenantId, username));
    if (a != null) {
      synchronized (a) {
        if (a.lockedUntil > clock.millis()) {
          LOG.warn("event=login_account_locked tenant={} username_hash={}", tenantId,
              Integer.toHexString(key(tenantId, username).hashCode()));
          return Verdict.ACCOUNT_LOCKED;
        }
      }
    }
    return Verdict.GO;
  }

  /** The delay to impose before answering this attempt (a failure streak slows the account). */
  Duration delay(String tenantId, String username) {
    Account a = accounts.getIfPresent(key(tenantId, username));
    if (a == null) {
      return Duration.ZERO;
    }
    int over;
    synchronized (a) {
      over = a.failures - settings.freeFailures();
    }
    if (over < 0) {
      return Duration.ZERO;
    }
    long ms = settings.baseDelay().toMillis() << Math.min(over, 20);
    return Duration.ofMillis(Math.min(ms, settings.maxDelay().toMillis()));
  }

  /** What one failure changed, for the security events: a lock begun, an address capped. */
  record Failure(boolean lockedAccount, boolean throttledIp) {}

  Failure failed(String tenantId, String username, String ip) {
    int ipFailures = ips.get(ip, k -> new AtomicInteger()).incrementAndGet();
    Account a = accounts.get(key(tenantId, username), k -> new Account());
    boolean locked = false;
    synchronized (a) {
      a.failures++;
      if (a.failures >= settings.lockAfter()) {
        a.lockedUntil = clock.millis() + settings.lockFor().toMillis();
        a.failures = 0;
        locked = true;
        LOG.warn("event=login_account_lock tenant={} ip={} minutes={}", tenantId, ip,
            settings.lockFor().toMinutes());
      }
    }
    return new Failure(locked, ipFailures == settings.ipFailures());
  }

  void succeeded(String tenantId, String username) {
    accounts.invalidate(key(tenantId, username));
  }

  private static String key(String tenantId, String username) {
    return tenantId + "\u0000" + (username == null ? "" : username.toLowerCase(Locale.ROOT));
  }
}
