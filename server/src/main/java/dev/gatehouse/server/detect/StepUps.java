package dev.gatehouse.server.detect;

import dev.gatehouse.server.cache.SharedRedis;
import dev.gatehouse.server.crypto.CacheMac;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions that a risky sign-in started: they owe a second factor (or its enrolment) before they
 * may answer a client, whatever the tenant's MFA policy. A mark ends with the session's lifetime;
 * a session that showed a second factor has the MFA {@code acr} and is not asked again.
 *
 * <p>Marks are kept in this node's memory and, with Redis, under
 * {@code gh:{installation}:detect:stepup:{tenant}:{sid}} sealed with a MAC, so that the node that
 * resumes the sign-in sees a mark another node set. A value whose MAC fails counts as a mark
 * (failing closed: a forged value can only ask for more).
 */
public final class StepUps {

  private static final int MAX_LOCAL = 200_000;

  private final ConcurrentHashMap<String, Long> local = new ConcurrentHashMap<>();
  private final SharedRedis redis;
  private final String prefix;
  private final CacheMac mac;
  private final Clock clock;

  /** Marks in memory only ({@code redis} null) or in Redis too. */
  public StepUps(SharedRedis redis, String prefix, CacheMac mac, Clock clock) {
    this.redis = redis;
    this.prefix = prefix;
    this.mac = mac;
    this.clock = clock;
  }

  private static String key(String tenant, String sid) {
    return tenant + ":" + sid;
  }

  /** Marks session {@code sid} of {@code tenant} for {@code ttlSeconds}. */
  public void mark(String tenant, String sid, long ttlSeconds) {
    long until = clock.millis() + ttlSeconds * 1000;
    if (local.size() >= MAX_LOCAL) {
      long now = clock.millis();
      local.values().removeIf(u -> u < now);
    }
    local.put(key(tenant, sid), until);
    if (redis != null) {
      String k = prefix + "detect:stepup:" + key(tenant, sid);
      redis.run(c -> c.psetex(k, ttlSeconds * 1000, mac.seal(k, "1", until)));
    }
  }

  /** Whether session {@code sid} of {@code tenant} owes a step-up. */
  public boolean marked(String tenant, String sid) {
    Long until = local.get(key(tenant, sid));
    if (until != null && until > clock.millis()) {
      return true;
    }
    if (redis == null) {
      return false;
    }
    String k = prefix + "detect:stepup:" + key(tenant, sid);
    String v = redis.call(c -> c.get(k), null);
    return v != null;
  }
}
