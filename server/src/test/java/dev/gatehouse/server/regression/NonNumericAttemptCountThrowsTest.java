package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.cache.SharedRedis;
import dev.gatehouse.server.cache.Tampering;
import dev.gatehouse.server.crypto.Secrets;
import dev.gatehouse.server.testing.TestRedis;
import dev.gatehouse.server.web.RedisAttemptCounter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Found by the sweep after GH-03 (Redis is untrusted): {@code RedisAttemptCounter.count} parsed
 * whatever Redis held, so a value that is not a number, written by anyone with write access to
 * Redis, made every sign-in at that account throw (a 500). Such a value now counts as past every
 * limit (the account or address stays locked, as a planted large number would keep it) and is
 * recorded as tampering; increments and decrements of it neither throw nor pause Redis.
 */
class NonNumericAttemptCountThrowsTest {

  @Test
  void whenRedisHoldsGarbageThenCountedAsPastTheLimitWithoutThrowing() {
    String prefix = "gh:test-" + Secrets.random(6) + ":";
    Tampering tampering = Tampering.untracked();
    try (SharedRedis redis = new SharedRedis(TestRedis.url())) {
      RedisAttemptCounter counter = new RedisAttemptCounter(redis, prefix, tampering);
      String key = "lock:acme:someone";
      redis.run(r -> r.set(prefix + "attempts:" + key, "not-a-number"));
      try {
        assertThat(counter.count(key)).isEqualTo(Long.MAX_VALUE);
        assertThat(counter.increment(key, Duration.ofMinutes(1), false))
            .isEqualTo(Long.MAX_VALUE);
        counter.decrement(key);
        assertThat(counter.count(key)).isEqualTo(Long.MAX_VALUE);
        assertThat(tampering.count("attempts")).isGreaterThanOrEqualTo(3);
        // Redis stayed in use: a garbage value is not an outage.
        assertThat(redis.healthy()).isTrue();
        counter.reset(key);
        assertThat(counter.count(key)).isZero();
        assertThat(counter.increment(key, Duration.ofMinutes(1), false)).isEqualTo(1);
      } finally {
        redis.run(r -> r.del(prefix + "attempts:" + key));
      }
    }
  }
}
