package dev.gatehouse.server.config;

import java.time.Duration;
import java.util.List;

/**
 * Settings of sign-in (the {@code signin.*} keys): session and refresh token lifetimes, and
 * brute-force protection.
 *
 * @param sessionTtl how long an SSO session lasts ({@code signin.session-ttl-seconds}, 12 h)
 * @param refreshIdle a refresh token unused this long expires ({@code
 *     signin.refresh-idle-seconds}, 30 days)
 * @param refreshAbsolute no refresh token outlives its first sign-in by more than this ({@code
 *     signin.refresh-absolute-seconds}, 90 days)
 * @param freeFailures failed logins of an account before delays start ({@code
 *     signin.lockout.free-failures}, 3)
 * @param baseDelay the first delay, doubled per further failure ({@code
 *     signin.lockout.base-delay-ms}, 250)
 * @param maxDelay the longest delay ({@code signin.lockout.max-delay-ms}, 4000)
 * @param lockAfter failures that lock the account name ({@code signin.lockout.lock-after}, 10)
 * @param lockFor how long a lock lasts ({@code signin.lockout.lock-seconds}, 900)
 * @param ipFailures failures from one IP address that throttle it ({@code
 *     signin.ip-throttle.failures}, 100)
 * @param ipWindow the window those are counted in ({@code signin.ip-throttle.window-seconds},
 *     600)
 * @param trustedProxies peers whose {@code Forwarded} / {@code X-Forwarded-For} headers name the
 *     client address ({@code server.trusted-proxies}, CIDR ranges; none by default). Sign-in is
 *     where client addresses matter (throttles, security events), hence this record.
 */
public record SignInConfig(Duration sessionTtl, Duration refreshIdle, Duration refreshAbsolute,
    int freeFailures, Duration baseDelay, Duration maxDelay, int lockAfter, Duration lockFor,
    int ipFailures, Duration ipWindow, List<String> trustedProxies) {

  public static final SignInConfig DEFAULTS = new SignInConfig(Duration.ofHours(12),
      Duration.ofDays(30), Duration.ofDays(90), 3, Duration.ofMillis(250), Duration.ofSeconds(4),
      10, Duration.ofMinutes(15), 100, Duration.ofMinutes(10), List.of());

  public SignInConfig {
    trustedProxies = List.copyOf(trustedProxies);
  }
}
