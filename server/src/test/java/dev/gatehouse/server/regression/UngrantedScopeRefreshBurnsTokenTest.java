package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GH-10: a refresh request asking for a scope that was never granted marked the refresh token
 * rotated before it was refused with invalid_scope; the client's retry without the scope then
 * counted as a reuse and revoked the whole family. A refused request must leave the token as it
 * was.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UngrantedScopeRefreshBurnsTokenTest {

  private TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("gh10");
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void whenRefreshAsksForUngrantedScopeThenInvalidScopeAndTheTokenStillWorks() {
    UserSignIn in = new UserSignIn(server, "gh10");
    JsonNode client = in.webClient("web", Map.of());
    in.user("dave");
    JsonNode tokens = in.tokens(new Browser(), client, "dave", "openid offline_access");
    String refresh = tokens.get("refresh_token").asText();

    TestServer.Response wider = in.refresh(client, refresh, "openid admin");
    assertThat(wider.status()).isEqualTo(400);
    assertThat(wider.json().get("error").asText()).isEqualTo("invalid_scope");

    TestServer.Response retry = in.refresh(client, refresh, null);
    assertThat(retry.status()).as("%s", retry).isEqualTo(200);
    assertThat(in.active(client, retry.json().get("access_token").asText())).isTrue();
  }
}
