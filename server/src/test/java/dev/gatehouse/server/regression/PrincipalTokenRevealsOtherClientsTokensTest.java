package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Same class as GH-15: a client with the {@code authorize} scope could pass any token of the
 * tenant as {@code principal_token} to {@code /v1/authorize} and learn from the answer whether
 * another client's token is live (and, through policies, its subject and scopes). The principal
 * token is now answered as introspection answers the caller: only the token's own client and the
 * resource servers in its audience see it; for any other caller it is "not an active token".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrincipalTokenRevealsOtherClientsTokensTest {

  private TestServer server;
  private JsonNode pep;
  private String pepToken;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("pt");
    pep = server.createClient("pt", Map.of("name", "pep", "scope", "authorize"));
    pepToken = token(pep, "authorize");
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private String token(JsonNode client, String scope) {
    return server.postForm("/t/pt/oauth2/token", "grant_type=client_credentials&scope=" + scope,
        UserSignIn.basic(client)).json().get("access_token").asText();
  }

  private JsonNode decide(String principalToken) {
    String body = "{\"principal_token\":\"" + principalToken + "\",\"action\":\"view\","
        + "\"resource\":\"Document::\\\"d1\\\"\"}";
    TestServer.Response r = server.send(HttpRequest.newBuilder(
            URI.create(server.baseUrl() + "/t/pt/v1/authorize"))
        .header("Authorization", "Bearer " + pepToken)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json();
  }

  private static boolean refusedAsInactive(JsonNode decision) {
    return decision.at("/errors/0/message").asText().contains("not an active");
  }

  @Test
  void whenAnotherClientsTokenIsThePrincipalThenItIsNotActiveForTheCaller() {
    for (String format : new String[] {"jwt", "opaque"}) {
      JsonNode other = server.createClient("pt", Map.of("name", "other-" + format,
          "scope", "docs.read", "token_format", format));
      JsonNode d = decide(token(other, "docs.read"));
      assertThat(refusedAsInactive(d)).as("%s %s", format, d).isTrue();
    }
  }

  @Test
  void whenTheCallerIsInTheTokensAudienceThenThePrincipalIsUsed() {
    for (String format : new String[] {"jwt", "opaque"}) {
      JsonNode app = server.createClient("pt", Map.of("name", "app-" + format,
          "scope", "docs.read", "token_format", format,
          "audience", List.of(pep.get("client_id").asText())));
      JsonNode d = decide(token(app, "docs.read"));
      assertThat(refusedAsInactive(d)).as("%s %s", format, d).isFalse();
    }
    // The caller's own token too.
    assertThat(refusedAsInactive(decide(pepToken))).isFalse();
  }
}
