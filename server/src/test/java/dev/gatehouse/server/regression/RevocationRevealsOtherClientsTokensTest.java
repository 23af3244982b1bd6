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
 * GH-17: {@code /oauth2/revoke} answered a live token of another client with 400
 * unauthorized_client and an unknown string with 200, so any client could tell live tokens of
 * others from garbage. RFC 7009 §2.2: "invalid tokens do not cause an error response"; a token of
 * another client is invalid for the one asking. It is answered like an unknown one and stays
 * active.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevocationRevealsOtherClientsTokensTest {

  private TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("gh17");
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void whenClientRevokesAnotherClientsTokenThenSameAnswerAsUnknownAndTokenStaysActive() {
    for (String format : new String[] {"jwt", "opaque"}) {
      JsonNode owner = server.createClient("gh17", Map.of("name", "owner-" + format,
          "token_format", format));
      JsonNode other = server.createClient("gh17", Map.of("name", "other-" + format));
      String token = server.postForm("/t/gh17/oauth2/token", "grant_type=client_credentials",
          UserSignIn.basic(owner)).json().get("access_token").asText();

      TestServer.Response foreign = server.postForm("/t/gh17/oauth2/revoke", "token=" + token,
          UserSignIn.basic(other));
      TestServer.Response unknown = server.postForm("/t/gh17/oauth2/revoke",
          "token=" + (format.equals("jwt") ? "a.b.c" : "never-issued"), UserSignIn.basic(other));
      assertThat(foreign.status()).as("%s", foreign).isEqualTo(200);
      assertThat(foreign.status()).isEqualTo(unknown.status());
      assertThat(foreign.text()).isEqualTo(unknown.text());

      assertThat(server.postForm("/t/gh17/oauth2/introspect", "token=" + token,
          UserSignIn.basic(owner)).json().get("active").asBoolean()).isTrue();
    }
  }
}
