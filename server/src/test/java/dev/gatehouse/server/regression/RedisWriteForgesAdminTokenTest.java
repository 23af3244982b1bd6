package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestRedis;
import dev.gatehouse.server.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.net.http.HttpRequest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GH-03: whoever could write to Redis could forge admin tokens. The shared cache held the system
 * tenant's verification keys as plain JSON ({@code gh:{installation}:system:keys:-}) and the
 * invalidation channel took messages from anyone: replacing the NEXT key's public JWK and
 * publishing {@code keys system} made a node accept a token the attacker signed with
 * {@code scope=admin}, and a node started later read the forged key straight from Redis.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisWriteForgesAdminTokenTest {

  /** Long enough for a forged invalidation to arrive and the node to reload its keys. */
  private static final long WINDOW_MS = 2_000;

  private final String dbUrl = TestDatabase.H2.freshUrl();
  private Map<String, String> env;
  private TestServer node;
  private TestServer latecomer;
  private RedisClient redisClient;
  private StatefulRedisConnection<String, String> redis;

  @BeforeAll
  void start() {
    String url = TestRedis.url();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    env = Map.of("GATEHOUSE_DB_URL", dbUrl,
        "GATEHOUSE_MASTER_KEY", Base64.getEncoder().encodeToString(key),
        "GATEHOUSE_REDIS_URL", url,
        "GATEHOUSE_SERVER_BASE_URL", "https://login.gh03.test");
    node = TestServer.start(TestDatabase.H2, env);
    redisClient = RedisClient.create(url);
    redis = redisClient.connect();
  }

  @AfterAll
  void stop() {
    if (latecomer != null) {
      latecomer.close();
    }
    if (node != null) {
      node.close();
    }
    if (redis != null) {
      redis.close();
      redisClient.shutdown();
    }
  }

  @Test
  void whenNextKeyReplacedInRedisAndInvalidationPublishedThenForgedAdminTokenRefused()
      throws Exception {
    // A real admin call puts the system tenant's key rows into the shared cache.
    assertThat(node.admin("GET", "/admin/v1/tenants", null).status()).isEqualTo(200);
    String entry = installationPrefix() + "system:keys:-";
    String cached = redis.sync().get(entry);
    assertThat(cached).as("the system tenant's keys in Redis").isNotNull();

    // The attacker swaps the NEXT ES256 key's public JWK for their own, keeping its kid and
    // whatever else the entry carries.
    int json = cached.indexOf('[');
    ArrayNode rows = (ArrayNode) TestServer.JSON.readTree(cached.substring(json));
    String kid = null;
    ECKey attacker = null;
    for (JsonNode row : rows) {
      if ("NEXT".equals(row.path("state").asText()) && "ES256".equals(row.path("alg").asText())) {
        kid = row.get("kid").asText();
        attacker = new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        ((ObjectNode) row).put("publicJwk", attacker.toPublicJWK().toJSONString());
      }
    }
    assertThat(kid).as("a NEXT ES256 key").isNotNull();
    long ttl = Math.max(60_000, redis.sync().pttl(entry));
    redis.sync().psetex(entry, ttl,
        cached.substring(0, json) + TestServer.JSON.writeValueAsString(rows));

    String forged = forgeAdminToken(attacker);
    long deadline = System.currentTimeMillis() + WINDOW_MS;
    while (System.currentTimeMillis() < deadline) {
      redis.sync().publish("gatehouse:invalidate", "attacker\nkeys\nsystem");
      assertThat(adminStatus(node, forged)).as("forged admin token at the running node")
          .isEqualTo(401);
      Thread.sleep(50);
    }
    // A node that starts now has nothing in memory: it reads the keys from Redis.
    latecomer = TestServer.start(TestDatabase.H2, env);
    assertThat(adminStatus(latecomer, forged)).as("forged admin token at a node started later")
        .isEqualTo(401);
    assertThat(adminStatus(node, node.adminToken())).as("the real admin token still works")
        .isEqualTo(200);
  }

  private String forgeAdminToken(ECKey key) throws Exception {
    long now = System.currentTimeMillis();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(node.issuer("system"))
        .subject(node.bootstrapAdmin().get("client_id").asText())
        .audience(node.issuer("system"))
        .claim("client_id", node.bootstrapAdmin().get("client_id").asText())
        .claim("scope", "admin")
        .jwtID(UUID.randomUUID().toString())
        .issueTime(new Date(now))
        .expirationTime(new Date(now + 3_600_000))
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
        .type(new JOSEObjectType("at+jwt")).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  private static int adminStatus(TestServer server, String token) {
    return server.send(HttpRequest.newBuilder(URI.create(server.httpUrl() + "/admin/v1/tenants"))
        .header("Authorization", "Bearer " + token).GET().build()).status();
  }

  private String installationPrefix() {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(dbUrl);
        java.sql.ResultSet rs = c.createStatement().executeQuery("select id from installation")) {
      rs.next();
      return "gh:" + rs.getString(1) + ":";
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
