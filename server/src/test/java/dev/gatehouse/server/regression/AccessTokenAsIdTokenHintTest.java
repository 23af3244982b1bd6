package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.HostedSignIn;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GH-18: RP-initiated logout took any JWT the tenant signed as {@code id_token_hint}, an access
 * token too (same keys, same issuer). Only an ID token names the client and session to log out.
 */
class AccessTokenAsIdTokenHintTest {

  @Test
  void logoutWhenHintIsAnAccessTokenThenRefused() {
    try (TestServer server = TestServer.start(TestDatabase.H2)) {
      HostedSignIn t = new HostedSignIn(server, "gh18");
      var m2m = server.createClient("gh18", Map.of("name", "Service",
          "grant_types", List.of("client_credentials")));
      TestServer.Response token = server.postForm("/t/gh18/oauth2/token",
          "grant_type=client_credentials", TestServer.basic(m2m.get("client_id").asText(),
              m2m.get("client_secret").asText()));
      String accessToken = token.json().get("access_token").asText();
      assertThat(accessToken.split("\\.")).hasSize(3);

      TestServer.Response r = new Browser().get(t.issuer() + "/logout?id_token_hint="
          + accessToken);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.text()).contains("did not issue");
    }
  }
}
