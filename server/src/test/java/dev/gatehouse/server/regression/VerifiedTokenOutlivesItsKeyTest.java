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
 * GH-03, second half: a JWT verified once was remembered for 10 minutes whatever happened to the
 * key that verified it, so a token signed with a key no longer in the tenant's key set (a forged
 * key cleaned out of the cache, a compromised key deleted by an operator) stayed active. A
 * remembered token now counts only while its key is still the tenant's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerifiedTokenOutlivesItsKeyTest {

  private final String dbUrl = TestDatabase.H2.freshUrl();
  private TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2, Map.of("GATEHOUSE_DB_URL", dbUrl));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void whenSigningKeyRemovedFromTheKeySetThenRememberedTokenInactive() throws Exception {
    server.createTenant("vesta");
    JsonNode app = server.createClient("vesta", Map.of("name", "app"));
    String basic = TestServer.basic(app.get("client_id").asText(),
        app.get("client_secret").asText());
    String jwt = server.postForm("/t/vesta/oauth2/token", "grant_type=client_credentials", basic)
        .json().get("access_token").asText();
    assertThat(active(jwt, basic)).as("verified once, now remembered").isTrue();

    // The operator removes the key that signed it (say it leaked) and rotates.
    String kid = TestServer.JSON.readTree(java.util.Base64.getUrlDecoder()
        .decode(jwt.substring(0, jwt.indexOf('.')))).get("kid").asText();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(dbUrl);
        java.sql.PreparedStatement s = c.prepareStatement(
            "delete from signing_key where tenant_id = 'vesta' and kid = ?")) {
      s.setString(1, kid);
      assertThat(s.executeUpdate()).isEqualTo(1);
    }
    assertThat(server.admin("POST", "/admin/v1/tenants/vesta/keys/rotate", null).status())
        .isEqualTo(200);
    assertThat(server.get("/t/vesta/jwks").text()).doesNotContain(kid);

    assertThat(active(jwt, basic)).as("a token whose key is gone").isFalse();
  }

  private boolean active(String token, String basic) {
    TestServer.Response r = server.postForm("/t/vesta/oauth2/introspect", "token=" + token,
        basic);
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().get("active").asBoolean();
  }
}
