package dev.gatehouse.server.web;

import dev.gatehouse.server.cache.SharedRedis;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;

/**
 * An {@link AttemptCounter} in Redis, shared by every node: INCR and PEXPIRE in one Lua script
 * (atomic, one round trip), keys {@code gh:{installation}:attempts:...}. When Redis cannot answer, the node
 * counts in its own memory instead (a lockout then holds on this node only, until Redis returns):
 * a Redis failure never fails or lets through a sign-in on its own.
 */
public final class RedisAttemptCounter implements AttemptCounter {

  /** KEYS[1] the counter; ARGV[1] ttl in ms; ARGV[2] "1" to restart the ttl on every increment. */
  static final String INCREMENT = """
      local n = redis.call('INCR', KEYS[1])
      if n == 1 or ARGV[2] == '1' then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
      return n
      """;

  /** KEYS[1] the counter: one less, never below zero, the ttl unchanged. */
  static final String DECREMENT = """
      local n = tonumber(redis.call('GET', KEYS[1]) or '0')
      if n <= 1 then redis.call('DEL', KEYS[1]) return 0 end
      return redis.call('DECR', KEYS[1])
      """;

  private final SharedRedis redis;
  private final AttemptCounter fallback = new InMemoryAttemptCounter(java.time.Clock.systemUTC());

  private final String prefix;

  /** Counts in {@code redis} under keys starting with {@code prefix} (the installation's). */
  public RedisAttemptCounter(SharedRedis redis, String prefix) {
    this.redis = redis;
    this.prefix = prefix;
  }

  private String redisKey(String key) {
    return prefix + "attempts:" + key;
  }

  @Override
  public long increment(String key, Duration ttl, boolean slide) {
    Long n = redis.call(r -> r.<Long>eval(INCREMENT, ScriptOutputType.INTEGER,
        new String[] {redisKey(key)}, Long.toString(Math.max(1, ttl.toMillis())),
        slide ? "1" : "0"), null);
    return n != null ? n : fallback.increment(key, ttl, slide);
  }

  @Override
  public void decrement(String key) {
    redis.run(r -> r.<Long>eval(DECREMENT, ScriptOutputType.INTEGER, redisKey(key)));
    fallback.decrement(key);
  }

  @Override
  public long count(String key) {
    String v = redis.call(r -> r.get(redisKey(key)), null);
    return Math.max(v == null ? 0 : Long.parseLong(v), fallback.count(key));
  }

  @Override
  public void reset(String key) {
    redis.run(r -> r.del(redisKey(key)));
    fallback.reset(key);
  }
}
