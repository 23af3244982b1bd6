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
    // The API introspects: the tokens are for it (their audience).
    JsonNode api = node.createClient("acme", Map.of("name", "api"));
    String forApi = api.get("client_id").asText();
    JsonNode app = node.createClient("acme", Map.of("name", "app", "scope", "read",
        "audience", forApi));
    JsonNode opaque = node.createClient("acme", Map.of("name", "op", "scope", "read",
        "token_format", "opaque", "audience", forApi));
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

  /**
   * The MAC proves an entry is this installation's, not that it is current: a genuine entry copied
   * before a change and written back after it must not undo the change at a node that knows of it
   * (the one that made it, or one that heard of it on the bus).
   */
  @Test
  void whenGenuineEntriesWrittenBackAfterAChangeThenRunningNodesRefuseThem() throws Exception {
    node.createTenant("beta");
    try (TestServer peer = TestServer.start(TestDatabase.H2, env)) {
      awaitBus(peer);
      JsonNode api = node.createClient("beta", Map.of("name", "api"));
      JsonNode doomed = node.createClient("beta", Map.of("name", "doomed"));
      JsonNode op = node.createClient("beta", Map.of("name", "op", "token_format", "opaque",
          "audience", api.get("client_id").asText()));
      String opaque = tokenAt(node, op).json().get("access_token").asText();
      for (TestServer at : List.of(node, peer)) {
        assertThat(tokenAt(at, doomed).status()).isEqualTo(200);
        assertThat(activeAt(at, api, opaque)).isTrue();
      }
      String clientKey = attacker.key("beta", "client", doomed.get("client_id").asText());
      String clientCopy = attacker.redis().get(clientKey);
      List<String> rows = attacker.redis().keys(attacker.key("beta", "opaque", "*"));
      assertThat(rows).hasSize(1);
      String opaqueCopy = attacker.redis().get(rows.get(0));

      assertThat(node.admin("DELETE", "/admin/v1/tenants/beta/clients/"
          + doomed.get("client_id").asText(), null).status()).isEqualTo(204);
      assertThat(node.admin("POST", "/admin/v1/tenants/beta/tokens/revoke",
          Map.of("token", opaque)).status()).isEqualTo(200);
      Thread.sleep(200);  // the peer hears of both; its own short caches see the change
      long deadline = System.currentTimeMillis() + 6_000;
      while (System.currentTimeMillis() < deadline) {
        attacker.redis().psetex(clientKey, 60_000, clientCopy);
        attacker.redis().psetex(rows.get(0), 60_000, opaqueCopy);
        for (TestServer at : List.of(node, peer)) {
          assertThat(tokenAt(at, doomed).status()).as("a deleted client").isEqualTo(401);
          assertThat(activeAt(at, api, opaque)).as("a revoked opaque token").isFalse();
        }
        Thread.sleep(250);
      }
    }
  }

  private static TestServer.Response tokenAt(TestServer at, JsonNode client) {
    return at.postForm("/t/beta/oauth2/token", "grant_type=client_credentials", basic(client));
  }

  private static boolean activeAt(TestServer at, JsonNode api, String token) {
    TestServer.Response r = at.postForm("/t/beta/oauth2/introspect", "token=" + token,
        basic(api));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().get("active").asBoolean();
  }

  /** Waits until {@code peer} hears this node over Redis (both subscribe in the background). */
  private void awaitBus(TestServer peer) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      String probe = "probe-" + i;
      peer.get("/t/" + probe + "/jwks");
      node.createTenant(probe);
      for (int j = 0; j < 20; j++) {
        if (peer.get("/t/" + probe + "/jwks").status() == 200) {
          return;
        }
        Thread.sleep(10);
      }
    }
    throw new AssertionError("the nodes never heard each other over Redis");
  }

  private static JsonNode claims(String jwt) {
    try {
      return TestServer.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
