package dev.gatehouse.server.web;

import dev.gatehouse.server.cache.SharedRedis;
import dev.gatehouse.server.cache.Tampering;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;

/**
 * An {@link AttemptCounter} in Redis, shared by every node: INCR and PEXPIRE in one Lua script
 * (atomic, one round trip), keys {@code gh:{installation}:attempts:...}. When Redis cannot answer, the node
 * counts in its own memory instead (a lockout then holds on this node only, until Redis returns):
 * a Redis failure never fails or lets through a sign-in on its own.
 *
 * <p>Redis is not trusted (docs/operations.md): a value that is not a count (written by someone
 * else) is counted as {@link Long#MAX_VALUE}, at every limit, so the subject or address stays
 * locked until the value goes, and is recorded as tampering ({@code attempts}); it never makes
 * a request fail.
 */
public final class RedisAttemptCounter implements AttemptCounter {

  /** KEYS[1] the counter; ARGV[1] ttl in ms; ARGV[2] "1" to restart the ttl on every increment. */
  static final String INCREMENT = """
      local ok, n = pcall(redis.call, 'INCR', KEYS[1])
      if not ok then return -1 end
      if n == 1 or ARGV[2] == '1' then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
      return n
      """;

  /**
   * KEYS[1] the counter: one less, never below zero, the ttl unchanged; -1 (and left alone) when
   * it is not a count.
   */
  static final String DECREMENT = """
      local n = tonumber(redis.call('GET', KEYS[1]) or '0')
      if not n then return -1 end
      if n <= 1 then redis.call('DEL', KEYS[1]) return 0 end
      local ok, m = pcall(redis.call, 'DECR', KEYS[1])
      if not ok then return -1 end
      return m
      """;

  /** What a value that is not a count stands for: past every limit. */
  private static final long NOT_A_COUNT = Long.MAX_VALUE;

  private final SharedRedis redis;
  private final AttemptCounter fallback = new InMemoryAttemptCounter(java.time.Clock.systemUTC());

  private final String prefix;
  private final Tampering tampering;

  /** Counts in {@code redis} under keys starting with {@code prefix} (the installation's). */
  public RedisAttemptCounter(SharedRedis redis, String prefix) {
    this(redis, prefix, Tampering.untracked());
  }

  /** Counts like {@link #RedisAttemptCounter(SharedRedis, String)}, reporting to {@code t}. */
  public RedisAttemptCounter(SharedRedis redis, String prefix, Tampering t) {
    this.redis = redis;
    this.prefix = prefix;
    this.tampering = t;
  }

  private String redisKey(String key) {
    return prefix + "attempts:" + key;
  }

  @Override
  public long increment(String key, Duration ttl, boolean slide) {
    Long n = redis.call(r -> r.<Long>eval(INCREMENT, ScriptOutputType.INTEGER,
        new String[] {redisKey(key)}, Long.toString(Math.max(1, ttl.toMillis())),
        slide ? "1" : "0"), null);
    if (n == null) {
      return fallback.increment(key, ttl, slide);
    }
    return n >= 0 ? n : notACount(key);
  }

  @Override
  public void decrement(String key) {
    redis.run(r -> r.<Long>eval(DECREMENT, ScriptOutputType.INTEGER, redisKey(key)));
    fallback.decrement(key);
  }

  @Override
  public long count(String key) {
    String v = redis.call(r -> r.get(redisKey(key)), null);
    long n;
    try {
      n = v == null ? 0 : Long.parseLong(v);
    } catch (NumberFormatException e) {
      n = notACount(key);
    }
    return Math.max(n, fallback.count(key));
  }

  private long notACount(String key) {
    tampering.rejected("attempts", redisKey(key));
    return NOT_A_COUNT;
  }

  @Override
  public void reset(String key) {
    redis.run(r -> r.del(redisKey(key)));
    fallback.reset(key);
  }
}
