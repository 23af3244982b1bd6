package dev.gatehouse.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.cache.SharedRedis;
import dev.gatehouse.server.crypto.Secrets;
import dev.gatehouse.server.testing.TestRedis;
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

  /** One wrong attempt through {@code t}: reserved, then kept as a failure. */
  static void fail(LoginThrottle t, String tenant, String subject, String ip) {
    t.reserve(tenant, subject, ip);
    t.failed(tenant, subject, ip);
  }

  @Test
  void lockWhenEarnedAtOneNodeThenHeldAtTheOtherAndLiftedByTime() throws Exception {
    String url = TestRedis.url();
    String tenant = "t" + Secrets.random(6);
    try (SharedRedis redisA = new SharedRedis(url); SharedRedis redisB = new SharedRedis(url)) {
      LoginThrottle a = new LoginThrottle(SETTINGS,
          new RedisAttemptCounter(redisA, "gh:test:"), LoginThrottleTest::keyed);
      LoginThrottle b = new LoginThrottle(SETTINGS,
          new RedisAttemptCounter(redisB, "gh:test:"), LoginThrottleTest::keyed);
      assertThat(b.delay(tenant, "erin")).isEqualTo(Duration.ZERO);
      fail(a, tenant, "Erin", "10.1.1.1");
      assertThat(b.delay(tenant, "erin")).isEqualTo(Duration.ofMillis(100));
      fail(b, tenant, "erin", "10.1.1.2");
      assertThat(a.delay(tenant, "ERIN")).isEqualTo(Duration.ofMillis(200));
      fail(a, tenant, "erin", "10.1.1.1");
      assertThat(b.reserve(tenant, "erin", "10.9.9.9").verdict()).isEqualTo(LoginThrottle.Verdict.ACCOUNT_LOCKED);
      assertThat(a.reserve(tenant, "erin", "10.9.9.9").verdict()).isEqualTo(LoginThrottle.Verdict.ACCOUNT_LOCKED);
      assertThat(b.reserve(tenant, "frank", "10.9.9.9").verdict()).isEqualTo(LoginThrottle.Verdict.GO);
      Thread.sleep(2_200);  // lock-seconds = 2: Redis expires the lock itself
      assertThat(b.reserve(tenant, "erin", "10.9.9.9").verdict()).isEqualTo(LoginThrottle.Verdict.GO);
    }
  }

  @Test
  void ipThrottleWhenFailuresSpreadOverNodesThenCountedTogether() {
    String url = TestRedis.url();
    String ip = "10.77." + (int) (Math.random() * 250) + "." + (int) (Math.random() * 250);
    String tenant = "t" + Secrets.random(6);
    try (SharedRedis redisA = new SharedRedis(url); SharedRedis redisB = new SharedRedis(url)) {
      LoginThrottle a = new LoginThrottle(SETTINGS,
          new RedisAttemptCounter(redisA, "gh:test:"), LoginThrottleTest::keyed);
      LoginThrottle b = new LoginThrottle(SETTINGS,
          new RedisAttemptCounter(redisB, "gh:test:"), LoginThrottleTest::keyed);
      for (int i = 0; i < 5; i++) {
        fail((i % 2 == 0 ? a : b), tenant, "user" + i, ip);
      }
      assertThat(a.reserve(tenant, "someone", ip).verdict()).isEqualTo(LoginThrottle.Verdict.IP_THROTTLED);
      assertThat(b.reserve(tenant, "someone", ip).verdict()).isEqualTo(LoginThrottle.Verdict.IP_THROTTLED);
    }
  }

  @Test
  void countsWhenRedisIsDownThenKeptInMemoryWithoutFailing() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (SharedRedis down = new SharedRedis("redis://127.0.0.1:" + closedPort)) {
      LoginThrottle t = new LoginThrottle(SETTINGS,
          new RedisAttemptCounter(down, "gh:test:"), LoginThrottleTest::keyed);
      for (int i = 0; i < 3; i++) {
        fail(t, "acme", "gina", "10.2.2.2");
      }
      assertThat(t.reserve("acme", "gina", "10.2.2.2").verdict())
          .isEqualTo(LoginThrottle.Verdict.ACCOUNT_LOCKED);
      assertThat(down.healthy()).isFalse();
    }
  }
}
