package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Found by the sweep: the token endpoint checked client secrets without limit. RFC 6749 §2.3.1:
 * "the authorization server MUST protect any endpoint utilizing it against brute force attacks".
 * Now a client_id with 30 failed authentications within a minute is refused for a minute, with the
 * same {@code invalid_client} as a wrong secret (no hint); other clients are not affected.
 */
class ClientSecretGuessingUnthrottledTest {

  @Test
  void whenManySecretsFailThenTheClientIdIsRefusedEvenWithItsSecret() {
    try (TestServer server = TestServer.start(TestDatabase.H2)) {
      server.createTenant("guess");
      JsonNode target = server.createClient("guess", Map.of("name", "target"));
      JsonNode other = server.createClient("guess", Map.of("name", "other"));
      String id = target.get("client_id").asText();
      for (int i = 0; i < 30; i++) {
        TestServer.Response r = token(server, TestServer.basic(id, "guess-" + i));
        assertThat(r.status()).as("%s", r).isEqualTo(401);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_client");
      }
      TestServer.Response locked = token(server, UserSignIn.basic(target));
      assertThat(locked.status()).as("%s", locked).isEqualTo(401);
      assertThat(locked.json().get("error").asText()).isEqualTo("invalid_client");
      assertThat(locked.json().get("error_description").asText())
          .isEqualTo("client authentication failed");
      assertThat(token(server, UserSignIn.basic(other)).status()).isEqualTo(200);
    }
  }

  private static TestServer.Response token(TestServer server, String authorization) {
    return server.postForm("/t/guess/oauth2/token", "grant_type=client_credentials",
        authorization);
  }
}
