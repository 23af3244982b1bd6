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
import dev.gatehouse.server.testing.RedisAttacker;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestRedis;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Date;
import java.util.List;
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
  private RedisAttacker attacker;

  @BeforeAll
  void start() {
    String url = TestRedis.url();
    env = TestServer.clusterEnv(dbUrl, url);
    node = TestServer.start(TestDatabase.H2, env);
    attacker = new RedisAttacker(url, dbUrl);
  }

  @AfterAll
  void stop() {
    if (latecomer != null) {
      latecomer.close();
    }
    if (node != null) {
      node.close();
    }
    if (attacker != null) {
      attacker.close();
    }
  }

  @Test
  void whenNextKeyReplacedInRedisAndInvalidationPublishedThenForgedAdminTokenRefused()
      throws Exception {
    // A real admin call puts the system tenant's key rows into the shared cache.
    assertThat(node.admin("GET", "/admin/v1/tenants", null).status()).isEqualTo(200);
    String entry = attacker.key("system", "keys", "-");
    ArrayNode rows = (ArrayNode) attacker.json(entry);
    assertThat(rows).as("the system tenant's keys in Redis").isNotNull();

    // The attacker swaps the NEXT ES256 key's public JWK for their own, keeping its kid and
    // whatever else the entry carries.
    ECKey own = null;
    for (JsonNode row : rows) {
      if ("NEXT".equals(row.path("state").asText()) && "ES256".equals(row.path("alg").asText())) {
        own = new ECKeyGenerator(Curve.P_256).keyID(row.get("kid").asText()).generate();
        ((ObjectNode) row).put("publicJwk", own.toPublicJWK().toJSONString());
      }
    }
    assertThat(own).as("a NEXT ES256 key").isNotNull();
    attacker.rewrite(entry, old -> rows);

    String forged = forgeAdminToken(own);
    long deadline = System.currentTimeMillis() + WINDOW_MS;
    while (System.currentTimeMillis() < deadline) {
      // On whichever channel the nodes listen: the one of fb85fe1, or one per installation.
      for (String channel : List.of("gatehouse:invalidate",
          "gatehouse:invalidate:" + attacker.installation())) {
        attacker.redis().publish(channel, "attacker\nkeys\nsystem");
      }
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
}
