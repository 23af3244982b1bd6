package dev.gatehouse.server.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.crypto.Secrets;
import dev.gatehouse.server.keys.KeyAlgorithm;
import dev.gatehouse.server.keys.KeyState;
import dev.gatehouse.server.keys.StoredKey;
import dev.gatehouse.server.oauth.AuthMethod;
import dev.gatehouse.server.oauth.Client;
import dev.gatehouse.server.oauth.TokenStore;
import dev.gatehouse.server.policy.PolicyVersion;
import dev.gatehouse.server.tenant.Branding;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.testing.TestKeys;
import dev.gatehouse.server.testing.TestRedis;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The L2 cache on a real Redis: each stored shape comes back equal from Redis (the loader runs
 * once), eviction makes the next read load again, and absent rows are never cached. Redis is not
 * trusted: an entry of any kind that someone changed, wrote in clear, or moved from another key is
 * a miss (the database answers), counted, never an error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class L2CacheTest {

  private SharedRedis redis;
  private L2Cache l2;
  private final Tampering tampering = Tampering.untracked();
  private dev.gatehouse.server.crypto.CacheMac mac;
  private final String tenant = "t" + Secrets.random(6).toLowerCase().replace('-', 'x');

  @BeforeAll
  void start() {
    redis = new SharedRedis(TestRedis.url());
    String installation = "test" + Secrets.random(4);
    mac = TestKeys.masterKey().cacheMac("cache", installation);
    l2 = new L2Cache(redis, Duration.ofSeconds(30), L2Cache.prefix(installation), mac, tampering);
  }

  @AfterAll
  void stop() {
    if (redis != null) {
      redis.close();
    }
  }

  /** Reads twice through the cache: the second read must come from Redis, equal to the first. */
  private <T> void roundTrip(String kind, Class<T> type, T value) {
    AtomicInteger loads = new AtomicInteger();
    Supplier<Optional<T>> loader = () -> {
      loads.incrementAndGet();
      return Optional.of(value);
    };
    String key = l2.key(tenant, kind, "1");
    assertThat(l2.get(key, type, loader)).contains(value);
    assertThat(l2.get(key, type, loader)).contains(value);
    assertThat(loads).as(kind + " served from Redis the second time").hasValue(1);
    l2.evict(key);
    assertThat(l2.get(key, type, loader)).contains(value);
    assertThat(loads).as(kind + " loaded again after eviction").hasValue(2);
  }

  @Test
  void storedShapesWhenReadBackFromRedisThenEqual() {
    roundTrip("tenant", Tenant.class, new Tenant(tenant, "Acme", 17,
        new Branding("https://x.test/logo.png", "#112233", null, null, null)));
    roundTrip("client", Client.class, new Client(tenant, "app", "App",
        Client.ClientType.CONFIDENTIAL, AuthMethod.values()[0], "hash-not-secret",
        new LinkedHashSet<>(List.of("client_credentials", "refresh_token")),
        new LinkedHashSet<>(List.of("b", "a")), Client.TokenFormat.JWT, KeyAlgorithm.ES256, 900,
        null, List.of("api"), 5, List.of("https://app.test/cb"), List.of(), null,
        KeyAlgorithm.RS256));
    roundTrip("opaque", TokenStore.OpaqueToken.class, new TokenStore.OpaqueToken(tenant, "h",
        "jti", "app", "sub", "a b", 1, 2, false, "name"));
    roundTrip("policy", PolicyVersion.class, new PolicyVersion(tenant, 3, "cedar", "",
        "permit(principal, action, resource);", "[]", "admin", null, null, 9));
  }

  @Test
  void keyRowsWhenReadBackFromRedisThenEqualAndInOrder() {
    List<StoredKey> rows = List.of(
        new StoredKey(tenant, "k1", KeyAlgorithm.ES256, KeyState.values()[0], "{\"kty\":\"EC\"}",
            "v1.sealed", 1, null, null),
        new StoredKey(tenant, "k2", KeyAlgorithm.RS256, KeyState.values()[1], "{\"kty\":\"RSA\"}",
            "v1.sealed2", 2, 3L, 4L));
    AtomicInteger loads = new AtomicInteger();
    String key = l2.key(tenant, "keys", "-");
    for (int i = 0; i < 2; i++) {
      assertThat(l2.<List<StoredKey>>get(key, L2Cache.listOf(StoredKey.class), () -> {
        loads.incrementAndGet();
        return Optional.of(rows);
      })).contains(rows);
    }
    assertThat(loads).hasValue(1);
  }

  /**
   * Puts {@code genuine} at a key of {@code kind} through the cache, {@code forged} at the same
   * key of another tenant, then writes over the first what an attacker could: the forged value
   * under the genuine MAC, the forged value in clear, the other tenant's sealed entry. Each read
   * must load {@code genuine} again.
   */
  private <T> void refusesTampering(String kind, com.fasterxml.jackson.databind.JavaType type,
      T genuine, T forged) {
    AtomicInteger loads = new AtomicInteger();
    String key = l2.key(tenant, kind, "t1");
    String elsewhere = l2.key("x" + tenant, kind, "t1");
    Supplier<Optional<T>> database = () -> {
      loads.incrementAndGet();
      return Optional.of(genuine);
    };
    assertThat(l2.<T>get(key, type, database)).contains(genuine);
    assertThat(l2.<T>get(elsewhere, type, () -> Optional.of(forged))).contains(forged);
    String sealed = raw(key);
    String moved = raw(elsewhere);
    String forgedJson = moved.split("\\.", 4)[3];
    List<String> attacks = List.of(sealed.substring(0, sealed.length()
        - sealed.split("\\.", 4)[3].length()) + forgedJson, forgedJson, moved);
    for (String attack : attacks) {
      long refused = tampering.count("cache");
      int before = loads.get();
      redis.run(r -> r.psetex(key, 30_000, attack));
      assertThat(l2.<T>get(key, type, database)).as("%s %s", kind, attack).contains(genuine);
      assertThat(loads).as("%s loaded from the database", kind).hasValue(before + 1);
      assertThat(tampering.count("cache")).as("%s counted", kind).isEqualTo(refused + 1);
      assertThat(raw(key)).as("%s written again, sealed", kind).isNotEqualTo(attack);
    }
  }

  private String raw(String key) {
    return redis.call(r -> r.get(key), null);
  }

  private static com.fasterxml.jackson.databind.JavaType type(Class<?> c) {
    return com.fasterxml.jackson.databind.type.TypeFactory.defaultInstance().constructType(c);
  }

  @Test
  void tamperedEntryOfEveryKindWhenReadThenNotTrusted() {
    refusesTampering("tenant", type(Tenant.class), new Tenant(tenant, "Acme", 1, null),
        new Tenant(tenant, "Evil", 2, null));
    Client client = new Client(tenant, "app", "App", Client.ClientType.CONFIDENTIAL,
        AuthMethod.values()[0], "hash", new LinkedHashSet<>(List.of("client_credentials")),
        new LinkedHashSet<>(List.of("read")), Client.TokenFormat.JWT, KeyAlgorithm.ES256, 900,
        null, List.of("api"), 5, List.of(), List.of(), null, KeyAlgorithm.RS256);
    refusesTampering("client", type(Client.class), client, new Client(tenant, "app", "App",
        Client.ClientType.CONFIDENTIAL, AuthMethod.values()[0], "attacker-hash",
        new LinkedHashSet<>(List.of("client_credentials")),
        new LinkedHashSet<>(List.of("read", "admin")), Client.TokenFormat.JWT,
        KeyAlgorithm.ES256, 86_400, null, List.of("api"), 5, List.of(), List.of(), null,
        KeyAlgorithm.RS256));
    refusesTampering("opaque", type(TokenStore.OpaqueToken.class),
        new TokenStore.OpaqueToken(tenant, "h", "jti", "app", "sub", "read", 1, 2, true, null),
        new TokenStore.OpaqueToken(tenant, "h", "jti", "app", "sub", "admin", 1, 9_999_999_999L,
            false, null));
    refusesTampering("policy", type(PolicyVersion.class), new PolicyVersion(tenant, 3, "cedar",
        "", "forbid(principal, action, resource);", "[]", "admin", null, null, 9),
        new PolicyVersion(tenant, 3, "cedar", "", "permit(principal, action, resource);", "[]",
            "admin", null, null, 9));
    refusesTampering("keys", L2Cache.listOf(StoredKey.class), List.of(new StoredKey(tenant, "k1",
        KeyAlgorithm.ES256, KeyState.NEXT, "{\"kty\":\"EC\",\"x\":\"genuine\"}", "v1.sealed", 1,
        null, null)), List.of(new StoredKey(tenant, "k1", KeyAlgorithm.ES256, KeyState.NEXT,
        "{\"kty\":\"EC\",\"x\":\"attacker\"}", "v1.sealed", 1, null, null)));
  }

  @Test
  void revocationFlagWhenForgedOrMovedThenNotBelieved() {
    String revoked = l2.key(tenant, "revoked", "jti-1");
    String other = l2.key(tenant, "revoked", "jti-2");
    assertThat(l2.flag(revoked, 30_000)).isTrue();
    assertThat(l2.flagged(revoked)).isTrue();
    redis.run(r -> r.psetex(other, 30_000, "1"));
    assertThat(l2.flagged(other)).as("written in clear").isFalse();
    String genuine = raw(revoked);
    redis.run(r -> r.psetex(other, 30_000, genuine));
    assertThat(l2.flagged(other)).as("moved from another token").isFalse();
    redis.run(r -> r.del(revoked));
    assertThat(l2.flagged(revoked)).as("deleted: the database must answer").isFalse();
  }

  @Test
  void genuineEntryWhenPastTheExpiryItWasSealedWithThenAMiss() {
    String key = l2.key(tenant, "client", "stale");
    redis.run(r -> r.psetex(key, 30_000, mac.seal(key, "{}", System.currentTimeMillis() - 1)));
    AtomicInteger loads = new AtomicInteger();
    l2.get(key, Tenant.class, () -> {
      loads.incrementAndGet();
      return Optional.empty();
    });
    assertThat(loads).as("a replayed old entry is not served").hasValue(1);
  }

  @Test
  void genuineEntryWhenWrittenBackAfterAChangeThenAMiss() throws InterruptedException {
    AtomicInteger loads = new AtomicInteger();
    Supplier<Optional<Tenant>> database = () -> {
      loads.incrementAndGet();
      return Optional.of(new Tenant(tenant, "Acme", 1, null));
    };
    String heard = l2.key(tenant, "client", "heard");
    String own = l2.key(tenant, "opaque", "own");
    String unrelated = l2.key(tenant, "keys", "-");
    for (String key : List.of(heard, own, unrelated)) {
      l2.get(key, Tenant.class, database);
    }
    String copiedHeard = raw(heard);
    String copiedOwn = raw(own);
    Thread.sleep(2);
    l2.changed(tenant, "client");  // another node announced it
    l2.evict(own);  // this node changed it
    redis.run(r -> r.psetex(heard, 30_000, copiedHeard));
    redis.run(r -> r.psetex(own, 30_000, copiedOwn));
    loads.set(0);
    for (String key : List.of(heard, own, unrelated)) {
      l2.get(key, Tenant.class, database);
    }
    assertThat(loads).as("the two copies written back are refused, the other kind is not")
        .hasValue(2);
    for (String key : List.of(heard, own, unrelated)) {
      l2.get(key, Tenant.class, database);
    }
    assertThat(loads).as("entries written after the change are served").hasValue(2);
  }

  @Test
  void absentRowWhenLoadedThenNotCached() {
    AtomicInteger loads = new AtomicInteger();
    String key = l2.key(tenant, "client", "nobody");
    for (int i = 0; i < 2; i++) {
      assertThat(l2.get(key, Client.class, () -> {
        loads.incrementAndGet();
        return Optional.empty();
      })).isEmpty();
    }
    assertThat(loads).hasValue(2);
  }
}
