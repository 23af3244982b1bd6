package dev.gatehouse.server.cache;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.server.crypto.CacheMac;
import dev.gatehouse.server.store.Jdbc;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The shared second level of the cache (L1 Caffeine in each service → this, in Redis → the
 * database): values as JSON under tenant-scoped keys {@code gh:{installation}:{tenant}:{kind}:{id}}
 * (the installation id keeps installations sharing a Redis apart), with a time
 * to live. Store decorators ({@code RedisClientStore} and the like) read through it and evict on
 * every write; the pub/sub {@link InvalidationBus} keeps the L1s in step.
 *
 * <p>What goes in is what the database holds, which never includes a secret in clear (client
 * secrets and opaque tokens are keyed hashes, private keys sealed under the master key). Absent
 * rows are not cached, so a row created is found at once. Evictions run at once and again after
 * the enclosing transaction commits (a reader between the two would otherwise put the old row
 * back); an eviction Redis could not take is retried on the next successful call, so a change made
 * during an outage is not shadowed by an older copy when Redis returns (a node that dies holding
 * such evictions leaves the entry to its time to live).
 *
 * <p>Redis is not trusted: anyone who can write to it could otherwise hand every node a key, a
 * client's scopes or a token row of their choosing. Every value is sealed with a {@link CacheMac}
 * over its full key (installation, tenant, kind, id) and its expiry; a value whose MAC fails, that
 * was moved from another key, or that outlived the expiry it was written with is a miss (loaded
 * from the database and written again) and is counted by {@link Tampering}, never an error. An
 * entry sealed before a change this node knows of is a miss too ({@link ChangeHorizon}). What this
 * cannot stop: a genuine entry copied aside and written back after a change this node never heard
 * of (it started later) is accepted until its own expiry (the cache time to live), and entries can
 * be deleted (a miss, so the database answers).
 */
public final class L2Cache {

  /** Sets come back as insertion-ordered sets, as the stores build them. */
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(
      new com.fasterxml.jackson.databind.module.SimpleModule()
          .addAbstractTypeMapping(Set.class, java.util.LinkedHashSet.class))
      // Derived getters of records (isPublic() and the like) are written but not read back.
      .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
          false);

  private final SharedRedis redis;
  private final Duration ttl;
  private final String prefix;
  private final CacheMac mac;
  private final Tampering tampering;
  private final Set<String> pendingEvictions = ConcurrentHashMap.newKeySet();
  private final ChangeHorizon horizon;

  /**
   * A cache on {@code redis} whose keys start with {@code prefix} (the installation's), whose
   * values are sealed with {@code mac} and whose refused values are reported to {@code tampering}.
   */
  public L2Cache(SharedRedis redis, Duration ttl, String prefix, CacheMac mac,
      Tampering tampering) {
    this.redis = redis;
    this.ttl = ttl;
    this.prefix = prefix;
    this.mac = mac;
    this.tampering = tampering;
    this.horizon = new ChangeHorizon(ttl);
  }

  /**
   * Counts lookups into {@code gatehouse.cache.l2.gets} by result ({@code hit}: an authentic,
   * current entry; {@code miss}: none, a stale or a refused one, loaded from the database).
   */
  public L2Cache monitor(io.micrometer.core.instrument.MeterRegistry registry) {
    this.hits = io.micrometer.core.instrument.Counter.builder("gatehouse.cache.l2.gets")
        .tag("result", "hit").description("shared (Redis) cache lookups by result")
        .register(registry);
    this.misses = io.micrometer.core.instrument.Counter.builder("gatehouse.cache.l2.gets")
        .tag("result", "miss").description("shared (Redis) cache lookups by result")
        .register(registry);
    return this;
  }

  private volatile io.micrometer.core.instrument.Counter hits;
  private volatile io.micrometer.core.instrument.Counter misses;

  /**
   * Tells the cache that {@code tenantId}'s rows of {@code kind} ({@code client}, {@code keys},
   * ...; null: every kind) changed through another node: entries sealed before now are refused.
   */
  public void changed(String tenantId, String kind) {
    horizon.changed(tenantId, kind == null ? ChangeHorizon.ALL : kind, System.currentTimeMillis());
  }

  /** The prefix of every key of an installation: {@code gh:{installation}:}. */
  public static String prefix(String installationId) {
    return "gh:" + installationId + ":";
  }

  /** {@code gh:{installation}:{tenant}:{kind}:{id}}: every key names its tenant. */
  public String key(String tenantId, String kind, String id) {
    return prefix + tenantId + ":" + kind + ":" + id;
  }

  /** The value at the key, else {@code loader}'s (stored for next time when present). */
  public <T> Optional<T> get(String key, Class<T> type, Supplier<Optional<T>> loader) {
    return get(key, JSON.constructType(type), loader);
  }

  /** {@link #get(String, Class, Supplier)} for generic types (lists). */
  public <T> Optional<T> get(String key, JavaType type, Supplier<Optional<T>> loader) {
    flushEvictions();
    // Sealed at expiry minus the time to live: every node of an installation has the same one.
    Optional<String> cached = authentic("cache", key)
        .filter(o -> !predatesChange(key, o.expiresAtMs() - ttl.toMillis()))
        .map(CacheMac.Opened::value);
    if (cached.isPresent()) {
      try {
        Optional<T> hit = Optional.of(JSON.readValue(cached.get(), type));
        if (hits != null) {
          hits.increment();
        }
        return hit;
      } catch (java.io.IOException e) {
        // An entry of an older shape: load and overwrite it.
      }
    }
    if (misses != null) {
      misses.increment();
    }
    Optional<T> loaded = loader.get();
    // Not while a transaction is open: the row may still change or roll back.
    if (loaded.isPresent() && !Jdbc.inTransaction()) {
      try {
        put(key, JSON.writeValueAsString(loaded.get()), ttl.toMillis());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    return loaded;
  }

  /**
   * Sets a flag at {@code key} for {@code ttlMs} (a revocation list entry): sealed like every
   * value, so that {@link #flagged} never believes one it did not write.
   */
  public boolean flag(String key, long ttlMs) {
    return put(key, "1", ttlMs);
  }

  /** Whether this installation set the flag at {@code key} and it has not expired. */
  public boolean flagged(String key) {
    return authentic("flag", key).map(CacheMac.Opened::value).filter("1"::equals).isPresent();
  }

  private boolean put(String key, String value, long ttlMs) {
    String sealed = mac.seal(key, value, System.currentTimeMillis() + ttlMs);
    return redis.run(r -> r.psetex(key, ttlMs, sealed));
  }

  /** The entry at {@code key} if a node of this installation put it there and it is live. */
  private Optional<CacheMac.Opened> authentic(String what, String key) {
    String raw = redis.call(r -> r.get(key), null);
    if (raw == null) {
      return Optional.empty();
    }
    Optional<CacheMac.Opened> opened = mac.open(key, raw);
    if (opened.isEmpty()) {
      tampering.rejected(what, key);
      return Optional.empty();
    }
    // Expired but genuine: Redis keeps entries by its own clock; a node's may run a little ahead.
    return opened.filter(o -> o.liveAt(System.currentTimeMillis()));
  }

  /** Whether the entry at {@code key}, sealed at {@code sealedAtMs}, is older than a change. */
  private boolean predatesChange(String key, long sealedAtMs) {
    String[] tenantKind = tenantAndKind(key);
    return tenantKind != null && horizon.predatesChange(tenantKind[0], tenantKind[1], sealedAtMs);
  }

  private String[] tenantAndKind(String key) {
    int tenantEnd = key.indexOf(':', prefix.length());
    int kindEnd = tenantEnd < 0 ? -1 : key.indexOf(':', tenantEnd + 1);
    if (!key.startsWith(prefix) || kindEnd < 0) {
      return null;
    }
    return new String[] {key.substring(prefix.length(), tenantEnd),
        key.substring(tenantEnd + 1, kindEnd)};
  }

  /** Removes the key now and once the transaction open on this thread (if any) commits. */
  public void evict(String key) {
    evictNow(key);
    Jdbc.afterCommit(() -> evictNow(key));
  }

  private void evictNow(String key) {
    String[] tenantKind = tenantAndKind(key);
    if (tenantKind != null) {
      horizon.changed(tenantKind[0], tenantKind[1], System.currentTimeMillis());
    }
    if (!redis.run(r -> r.del(key))) {
      pendingEvictions.add(key);
    }
  }

  private void flushEvictions() {
    if (pendingEvictions.isEmpty() || !redis.healthy()) {
      return;
    }
    for (String key : Set.copyOf(pendingEvictions)) {
      if (redis.run(r -> r.del(key))) {
        pendingEvictions.remove(key);
      }
    }
  }

  /** The JSON type of a list of {@code element}. */
  public static JavaType listOf(Class<?> element) {
    return JSON.getTypeFactory().constructCollectionType(java.util.List.class, element);
  }
}
