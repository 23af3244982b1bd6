package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.server.testing.RedisAttacker;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestRedis;
import dev.gatehouse.server.testing.TestServer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GH-03, the same gap in every other cached row: a node believed whatever it found in Redis. With
 * write access to Redis alone, one could give a client scopes it was never granted, raise an opaque
 * token's scope, conjure a tenant, or revoke someone's token.
 * Each entry is changed below the way an attacker would (the JSON inside rewritten, whatever is
 * around it kept), then read by a node started afterwards, whose memory holds nothing yet.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisCacheEntriesTrustedUnverifiedTest {

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
    for (AutoCloseable c : new AutoCloseable[] {latecomer, node, attacker}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // closing what a failed test left behind
      }
    }
  }

  private static String basic(JsonNode c) {
    return TestServer.basic(c.get("client_id").asText(), c.get("client_secret").asText());
  }

  private static TestServer.Response token(TestServer at, JsonNode client, String scope) {
    return at.postForm("/t/acme/oauth2/token", "grant_type=client_credentials"
        + (scope == null ? "" : "&scope=" + scope), basic(client));
  }

  private static JsonNode introspect(TestServer at, JsonNode api, String token) {
    TestServer.Response r = at.postForm("/t/acme/oauth2/introspect", "token=" + token, basic(api));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json();
  }

  @Test
  void whenEntriesRewrittenInRedisThenANodeReadingThemBelievesNone() {
    node.createTenant("acme");
    JsonNode app = node.createClient("acme", Map.of("name", "app", "scope", "read"));
    JsonNode opaque = node.createClient("acme", Map.of("name", "op", "scope", "read",
        "token_format", "opaque"));
    JsonNode api = node.createClient("acme", Map.of("name", "api"));
    String appId = app.get("client_id").asText();

    // Genuine use fills the shared cache: the client row, an opaque token row, the tenant.
    String jwt = token(node, app, "read").json().get("access_token").asText();
    String raised = token(node, opaque, "read").json().get("access_token").asText();
    assertThat(introspect(node, api, raised).get("active").asBoolean()).isTrue();
    String jti = claims(jwt).get("jti").asText();

    // The attacker: more scopes for the client, a higher scope for the opaque token, a tenant
    // that does not exist, a revocation never made.
    attacker.rewrite(attacker.key("acme", "client", appId), row -> {
      ((ArrayNode) row.get("scopes")).add("admin");
      return row;
    });
    List<String> opaqueRows = attacker.redis().keys(attacker.key("acme", "opaque", "*"));
    assertThat(opaqueRows).hasSize(1);
    attacker.rewrite(opaqueRows.get(0), row -> ((ObjectNode) row).put("scope", "read admin"));
    String tenantRow = attacker.redis().get(attacker.key("acme", "tenant", "-"));
    attacker.redis().psetex(attacker.key("ghost", "tenant", "-"), 60_000,
        tenantRow.replace("\"acme\"", "\"ghost\""));
    attacker.redis().psetex(attacker.key("acme", "revoked", jti), 60_000, "1");

    latecomer = TestServer.start(TestDatabase.H2, env);
    TestServer.Response escalated = token(latecomer, app, "admin");
    assertThat(escalated.status()).as("a scope the client was never granted: %s", escalated)
        .isEqualTo(400);
    assertThat(introspect(latecomer, api, raised).get("scope").asText())
        .as("an opaque token's scope").isEqualTo("read");
    assertThat(latecomer.get("/t/ghost/jwks").status()).as("a tenant only Redis knows")
        .isEqualTo(404);
    assertThat(introspect(latecomer, api, jwt).get("active").asBoolean())
        .as("a token only Redis says is revoked").isTrue();
  }

  private static JsonNode claims(String jwt) {
    try {
      return TestServer.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
