package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A tenant deleted and created again under the same name is a new tenant (docs/architecture.md,
 * tenant isolation: a token, code, client or session of one tenant is never accepted by another). The deleted tenant's clients
 * and tokens used to live on in this node's caches (clients for 30 s, verified JWTs for 10 min,
 * opaque tokens for 5 s) and were accepted by the new tenant.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecreatedTenantInheritsCachedStateTest {

  private TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String basic(JsonNode c) {
    return TestServer.basic(c.get("client_id").asText(), c.get("client_secret").asText());
  }

  private TestServer.Response token(String tenant, JsonNode client) {
    return server.postForm("/t/" + tenant + "/oauth2/token", "grant_type=client_credentials",
        basic(client));
  }

  private boolean active(String tenant, JsonNode introspector, String token) {
    TestServer.Response r = server.postForm("/t/" + tenant + "/oauth2/introspect",
        "token=" + token, basic(introspector));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().get("active").asBoolean();
  }

  private void recreate(String tenant) {
    assertThat(server.admin("DELETE", "/admin/v1/tenants/" + tenant, null).status())
        .isEqualTo(204);
    server.createTenant(tenant);
  }

  @Test
  void clientOfTheDeletedTenantCannotGetTokensFromTheNewOne() {
    server.createTenant("phoenix");
    JsonNode old = server.createClient("phoenix", Map.of("name", "old"));
    assertThat(token("phoenix", old).status()).isEqualTo(200);
    recreate("phoenix");
    TestServer.Response r = token("phoenix", old);
    assertThat(r.status()).as("%s", r).isEqualTo(401);
  }

  @Test
  void jwtOfTheDeletedTenantIsInactiveAtTheNewOne() {
    server.createTenant("lazarus");
    JsonNode old = server.createClient("lazarus", Map.of("name", "old"));
    String jwt = token("lazarus", old).json().get("access_token").asText();
    assertThat(active("lazarus", old, jwt)).isTrue();
    recreate("lazarus");
    JsonNode api = server.createClient("lazarus", Map.of("name", "api"));
    assertThat(active("lazarus", api, jwt)).isFalse();
  }

  @Test
  void opaqueTokenOfTheDeletedTenantIsInactiveAtTheNewOne() {
    server.createTenant("osiris");
    JsonNode old = server.createClient("osiris", Map.of("name", "old", "token_format", "opaque"));
    String opaque = token("osiris", old).json().get("access_token").asText();
    assertThat(active("osiris", old, opaque)).isTrue();
    recreate("osiris");
    JsonNode api = server.createClient("osiris", Map.of("name", "api"));
    assertThat(active("osiris", api, opaque)).isFalse();
  }
}
