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
 * once), eviction makes the next read load again, and absent rows are never cached.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class L2CacheTest {

  private SharedRedis redis;
  private L2Cache l2;
  private final Tampering tampering = Tampering.untracked();
  private final String tenant = "t" + Secrets.random(6).toLowerCase().replace('-', 'x');

  @BeforeAll
  void start() {
    redis = new SharedRedis(TestRedis.url());
    String installation = "test" + Secrets.random(4);
    l2 = new L2Cache(redis, Duration.ofSeconds(30), L2Cache.prefix(installation),
        TestKeys.masterKey().cacheMac("cache", installation), tampering);
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
        "jti", "app", "sub", "a b", 1, 2, false));
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
