package dev.gatehouse.server.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestRedis;
import dev.gatehouse.server.testing.TestServer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two nodes sharing one database and one Redis: a change made through one is seen by the other
 * well before any cache lifetime (5 s and more) would have hidden it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClusterInvalidationContract {

  /** Far below every cache lifetime, so passing proves the bus and not an expiry. */
  private static final long PROPAGATION_LIMIT_MS = 2_000;

  private TestServer a;
  private TestServer b;
  private String apiId;
  private String apiSecret;

  abstract TestDatabase database();

  @BeforeAll
  void start() {
    String redis = TestRedis.url();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    dbUrl = database().freshUrl();
    Map<String, String> shared = Map.of(
        "GATEHOUSE_DB_URL", dbUrl,
        "GATEHOUSE_MASTER_KEY", Base64.getEncoder().encodeToString(key),
        "GATEHOUSE_REDIS_URL", redis,
        // Nodes behind one load balancer share one issuer.
        "GATEHOUSE_SERVER_BASE_URL", "https://login.cluster.test");
    a = TestServer.start(database(), shared);
    b = TestServer.start(database(), shared);
    a.createTenant("acme");
    JsonNode api = a.createClient("acme", Map.of("name", "api"));
    apiId = api.get("client_id").asText();
    apiSecret = api.get("client_secret").asText();
    awaitBusConnected();
    redisClient = io.lettuce.core.RedisClient.create(redis);
    redisConnection = redisClient.connect();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(dbUrl);
        java.sql.ResultSet rs = c.createStatement().executeQuery("select id from installation")) {
      rs.next();
      prefix = "gh:" + rs.getString(1) + ":";
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private String prefix;
  private String dbUrl;

  private io.lettuce.core.RedisClient redisClient;
  private io.lettuce.core.api.StatefulRedisConnection<String, String> redisConnection;

  /** What a change through one node may take to be seen at the other. */
  private static final long CLUSTER_LIMIT_MS = 100;

  @AfterAll
  void stop() {
    if (redisConnection != null) {
      redisConnection.close();
      redisClient.shutdown();
    }
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  @Test
  void tokenIssuedByOneNodeRevokedThroughAnotherIsInactiveThereAtOnce() {
    String token = token(b);
    assertThat(active(b, token)).isTrue();  // b now caches "not revoked"
    assertThat(a.admin("POST", "/admin/v1/tenants/acme/tokens/revoke", Map.of("token", token))
        .json().get("revoked").asBoolean()).isTrue();
    assertThat(within(() -> !active(b, token))).as("revocation seen by the other node").isTrue();
  }

  @Test
  void clientDeletedThroughOneNodeNoLongerAuthenticatesAtTheOther() {
    JsonNode c = a.createClient("acme", Map.of("name", "short-lived"));
    String id = c.get("client_id").asText();
    String secret = c.get("client_secret").asText();
    assertThat(tokenStatus(b, id, secret)).isEqualTo(200);  // b caches the client
    assertThat(a.admin("DELETE", "/admin/v1/tenants/acme/clients/" + id, null).status())
        .isEqualTo(204);
    assertThat(within(() -> tokenStatus(b, id, secret) == 401)).isTrue();
  }

  @Test
  void keysRotatedThroughOneNodeArePublishedByTheOther() {
    String before = b.get("/t/acme/jwks").text();
    JsonNode rotated = a.admin("POST", "/admin/v1/tenants/acme/keys/rotate", null).json();
    String newActive = rotated.get("active_kid").asText();
    assertThat(within(() -> {
      String jwks = b.get("/t/acme/jwks").text();
      return !jwks.equals(before) && token(b).contains(".");
    })).isTrue();
    assertThat(within(() -> header(token(b)).contains(newActive))).isTrue();
  }

  @Test
  void tenantCreatedThroughOneNodeIsKnownToTheOtherThatHadAnsweredUnknown() {
    assertThat(b.get("/t/latecomer/jwks").status()).isEqualTo(404);  // b caches "unknown"
    a.createTenant("latecomer");
    assertThat(within(() -> b.get("/t/latecomer/jwks").status() == 200)).isTrue();
  }

  private void awaitBusConnected() {
    // Both nodes subscribe in the background; a probe change shows when b hears a.
    long deadline = System.currentTimeMillis() + 10_000;
    int i = 0;
    while (System.currentTimeMillis() < deadline) {
      String name = "probe-" + i++;
      b.get("/t/" + name + "/jwks");
      a.createTenant(name);
      if (within(() -> b.get("/t/" + name + "/jwks").status() == 200)) {
        return;
      }
    }
    throw new AssertionError("the nodes never heard each other over Redis");
  }

  @Test
  void revocationThroughOneNodeIsSeenAtTheOtherWithin100MsWhetherOrNotItHadCachedTheToken() {
    String cached = token(b);
    String unseen = token(b);
    assertThat(active(b, cached)).isTrue();  // b caches "not revoked" for this one
    for (String t : List.of(cached, unseen)) {
      assertThat(a.admin("POST", "/admin/v1/tenants/acme/tokens/revoke", Map.of("token", t))
          .json().get("revoked").asBoolean()).isTrue();
    }
    long t0 = System.nanoTime();
    assertThat(within(CLUSTER_LIMIT_MS, () -> !active(b, cached) && !active(b, unseen)))
        .as("inactive at the other node within %d ms", CLUSTER_LIMIT_MS).isTrue();
    System.out.printf("[cluster] revocation seen at the other node after %.1f ms%n",
        (System.nanoTime() - t0) / 1e6);
    // The distributed revocation list: one entry per revoked JWT, living as long as the token.
    List<String> keys = redisConnection.sync().keys(prefix + "acme:revoked:*");
    assertThat(keys).hasSizeGreaterThanOrEqualTo(2);
    long pttl = redisConnection.sync().pttl(keys.get(0));
    assertThat(pttl).isPositive().isLessThanOrEqualTo(900_000);
  }

  @Test
  void clientDeletedThroughOneNodeIsRefusedAtTheOtherWithin100Ms() {
    JsonNode c = a.createClient("acme", Map.of("name", "fleeting"));
    String id = c.get("client_id").asText();
    String secret = c.get("client_secret").asText();
    assertThat(tokenStatus(b, id, secret)).isEqualTo(200);  // in b's L1 and in Redis (L2)
    String l2 = redisConnection.sync().get(prefix + "acme:client:" + id);
    assertThat(l2).as("the client row in the shared L2").isNotNull()
        .contains("\"secretHash\"").doesNotContain(secret);
    assertThat(a.admin("DELETE", "/admin/v1/tenants/acme/clients/" + id, null).status())
        .isEqualTo(204);
    assertThat(within(CLUSTER_LIMIT_MS, () -> tokenStatus(b, id, secret) == 401)).isTrue();
    assertThat(redisConnection.sync().get(prefix + "acme:client:" + id)).isNull();
  }

  @Test
  void sharedCacheHoldsNoSecretInClear() {
    token(b);
    String keys = redisConnection.sync().get(prefix + "acme:keys:-");
    assertThat(keys).as("the key ring rows in the shared L2").isNotNull()
        .contains("privateKeyEnc").doesNotContain("\"d\"");
    assertThat(redisConnection.sync().get(prefix + "acme:tenant:-")).contains("\"id\":\"acme\"");
  }

  private static boolean within(BooleanSupplier condition) {
    return within(PROPAGATION_LIMIT_MS, condition);
  }

  private static boolean within(long limitMs, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limitMs * 1_000_000;
    do {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    } while (System.nanoTime() < deadline);
    return false;
  }

  private String token(TestServer node) {
    return node.postForm("/t/acme/oauth2/token", "grant_type=client_credentials",
        TestServer.basic(apiId, apiSecret)).json().get("access_token").asText();
  }

  private int tokenStatus(TestServer node, String id, String secret) {
    return node.postForm("/t/acme/oauth2/token", "grant_type=client_credentials",
        TestServer.basic(id, secret)).status();
  }

  private boolean active(TestServer node, String token) {
    return node.postForm("/t/acme/oauth2/introspect", "token=" + token,
        TestServer.basic(apiId, apiSecret)).json().get("active").asBoolean();
  }

  private static String header(String jwt) {
    return new String(Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))),
        java.nio.charset.StandardCharsets.UTF_8);
  }
}
