package dev.gatehouse.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.cache.SharedRedis;
import dev.gatehouse.server.crypto.Secrets;
import dev.gatehouse.server.testing.TestRedis;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Brute-force counts in Redis: two nodes (each its own throttle and Redis connection) share them,
 * so a lock earned at one holds at the other; with Redis down a node counts alone and never fails.
 */
class RedisAttemptCounterTest {

  private static final LoginThrottle.Settings SETTINGS = new LoginThrottle.Settings(1,
      Duration.ofMillis(100), Duration.ofMillis(400), 3, Duration.ofSeconds(2), 5,
      Duration.ofSeconds(60));

  @Test
  void lockWhenEarnedAtOneNodeThenHeldAtTheOtherAndLiftedByTime() throws Exception {
    String url = TestRedis.url();
    String tenant = "t" + Secrets.random(6);
    try (SharedRedis redisA = new SharedRedis(url); SharedRedis redisB = new SharedRedis(url)) {
      LoginThrottle a = new LoginThrottle(SETTINGS, Clock.systemUTC(),
          new RedisAttemptCounter(redisA, "gh:test:"));
      LoginThrottle b = new LoginThrottle(SETTINGS, Clock.systemUTC(),
          new RedisAttemptCounter(redisB, "gh:test:"));
      assertThat(b.delay(tenant, "erin")).isEqualTo(Duration.ZERO);
      a.failed(tenant, "Erin", "10.1.1.1");
      assertThat(b.delay(tenant, "erin")).isEqualTo(Duration.ofMillis(100));
      b.failed(tenant, "erin", "10.1.1.2");
      assertThat(a.delay(tenant, "ERIN")).isEqualTo(Duration.ofMillis(200));
      a.failed(tenant, "erin", "10.1.1.1");
      assertThat(b.check(tenant, "erin", "10.9.9.9")).isEqualTo(LoginThrottle.Verdict.ACCOUNT_LOCKED);
      assertThat(a.check(tenant, "erin", "10.9.9.9")).isEqualTo(LoginThrottle.Verdict.ACCOUNT_LOCKED);
      assertThat(b.check(tenant, "frank", "10.9.9.9")).isEqualTo(LoginThrottle.Verdict.GO);
      Thread.sleep(2_200);  // lock-seconds = 2: Redis expires the lock itself
      assertThat(b.check(tenant, "erin", "10.9.9.9")).isEqualTo(LoginThrottle.Verdict.GO);
    }
  }

  @Test
  void ipThrottleWhenFailuresSpreadOverNodesThenCountedTogether() {
    String url = TestRedis.url();
    String ip = "10.77." + (int) (Math.random() * 250) + "." + (int) (Math.random() * 250);
    String tenant = "t" + Secrets.random(6);
    try (SharedRedis redisA = new SharedRedis(url); SharedRedis redisB = new SharedRedis(url)) {
      LoginThrottle a = new LoginThrottle(SETTINGS, Clock.systemUTC(),
          new RedisAttemptCounter(redisA, "gh:test:"));
      LoginThrottle b = new LoginThrottle(SETTINGS, Clock.systemUTC(),
          new RedisAttemptCounter(redisB, "gh:test:"));
      for (int i = 0; i < 5; i++) {
        (i % 2 == 0 ? a : b).failed(tenant, "user" + i, ip);
      }
      assertThat(a.check(tenant, "someone", ip)).isEqualTo(LoginThrottle.Verdict.IP_THROTTLED);
      assertThat(b.check(tenant, "someone", ip)).isEqualTo(LoginThrottle.Verdict.IP_THROTTLED);
    }
  }

  @Test
  void countsWhenRedisIsDownThenKeptInMemoryWithoutFailing() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (SharedRedis down = new SharedRedis("redis://127.0.0.1:" + closedPort)) {
      LoginThrottle t = new LoginThrottle(SETTINGS, Clock.systemUTC(),
          new RedisAttemptCounter(down, "gh:test:"));
      for (int i = 0; i < 3; i++) {
        t.failed("acme", "gina", "10.2.2.2");
      }
      assertThat(t.check("acme", "gina", "10.2.2.2"))
          .isEqualTo(LoginThrottle.Verdict.ACCOUNT_LOCKED);
      assertThat(down.healthy()).isFalse();
    }
  }
}
