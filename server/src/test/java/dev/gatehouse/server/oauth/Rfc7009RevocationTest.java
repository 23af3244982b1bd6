package dev.gatehouse.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** RFC 7009, OAuth 2.0 token revocation. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("RFC 7009 token revocation")
class Rfc7009RevocationTest {

  private static final String REVOKE = "/t/acme/oauth2/revoke";

  private TestServer server;
  private JsonNode service;
  private JsonNode other;
  private JsonNode opaqueService;
  private JsonNode resourceServer;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("acme");
    // The resource server checks the tokens issued for it: its client_id is their audience.
    resourceServer = server.createClient("acme", Map.of("name", "api"));
    java.util.List<String> forApi = java.util.List.of(resourceServer.get("client_id").asText());
    service = server.createClient("acme", Map.of("name", "billing", "audience", forApi));
    other = server.createClient("acme", Map.of("name", "other", "audience", forApi));
    opaqueService = server.createClient("acme", Map.of("name", "legacy", "token_format",
        "opaque", "audience", forApi));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private String issue(JsonNode client) {
    TestServer.Response r = server.postForm("/t/acme/oauth2/token",
        "grant_type=client_credentials", Rfc7662IntrospectionTest.basic(client));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().get("access_token").asText();
  }

  private boolean active(String token) {
    return server.postForm("/t/acme/oauth2/introspect", "token=" + token,
        Rfc7662IntrospectionTest.basic(resourceServer)).json().get("active").asBoolean();
  }

  private TestServer.Response revoke(String body, JsonNode client) {
    return server.postForm(REVOKE, body, client == null ? null
        : Rfc7662IntrospectionTest.basic(client));
  }

  @Nested
  @DisplayName("RFC 7009 §2.1 revocation request")
  class Request {

    @Test
    @DisplayName("§2.1: \"The authorization server first validates the client credentials\"")
    void revokeWhenNoClientAuthenticationThenInvalidClient401() {
      String token = issue(service);
      TestServer.Response r = revoke("token=" + token, null);
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.json().get("error").asText()).isEqualTo("invalid_client");
      assertThat(active(token)).isTrue();
    }

    @Test
    void revokeWhenClientSecretWrongThenInvalidClient401AndTokenStaysActive() {
      String token = issue(service);
      TestServer.Response r = server.postForm(REVOKE, "token=" + token,
          TestServer.basic(service.get("client_id").asText(), "wrong"));
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.header("WWW-Authenticate")).startsWith("Basic");
      assertThat(active(token)).isTrue();
    }

    @Test
    @DisplayName("§2.1: \"... and then verifies whether the token was issued to the client making"
        + " the revocation request\"; §2.2: \"invalid tokens do not cause an error response\":"
        + " refused like an unknown token, without telling it apart")
    void revokeWhenTokenOfAnotherClientThen200LikeAnUnknownTokenAndTokenStaysActive() {
      String token = issue(service);
      TestServer.Response r = revoke("token=" + token, other);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo(revoke("token=never-issued", other).text());
      assertThat(active(token)).isTrue();
    }

    @Test
    void revokeWhenTokenMissingThenInvalidRequest() {
      TestServer.Response r = revoke("token_type_hint=access_token", service);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().get("error").asText()).isEqualTo("invalid_request");
    }

    @Test
    @DisplayName("§2.1: \"If the server is unable to locate the token using the given hint, it"
        + " MUST extend its search across all of its supported token types\"")
    void revokeWhenHintIsWrongThenTokenIsStillRevoked() {
      String token = issue(service);
      assertThat(revoke("token=" + token + "&token_type_hint=refresh_token", service).status())
          .isEqualTo(200);
      assertThat(active(token)).isFalse();
    }
  }

  @Nested
  @DisplayName("RFC 7009 §2.2 revocation response")
  class Response {

    @Test
    @DisplayName("§2.2: \"The authorization server responds with HTTP status code 200 if the"
        + " token has been revoked successfully or if the client submitted an invalid token\"")
    void revokeWhenTokenUnknownThen200() {
      assertThat(revoke("token=never-issued", service).status()).isEqualTo(200);
      assertThat(revoke("token=a.b.c", service).status()).isEqualTo(200);
    }

    @Test
    @DisplayName("§2.1: \"The invalidation takes place immediately, and the token cannot be used"
        + " again after the revocation\" (JWT)")
    void revokeWhenJwtThenInactiveImmediately() throws Exception {
      String token = issue(service);
      assertThat(active(token)).isTrue();
      HTTPResponse r = new TokenRevocationRequest(URI.create(server.baseUrl() + REVOKE),
          new ClientSecretBasic(new ClientID(service.get("client_id").asText()),
              new Secret(service.get("client_secret").asText())),
          new BearerAccessToken(token)).toHTTPRequest().send();
      assertThat(r.getStatusCode()).isEqualTo(200);
      assertThat(active(token)).isFalse();
    }

    @Test
    void revokeWhenOpaqueThenInactiveImmediately() {
      String token = issue(opaqueService);
      assertThat(active(token)).isTrue();
      assertThat(revoke("token=" + token, opaqueService).status()).isEqualTo(200);
      assertThat(active(token)).isFalse();
    }

    @Test
    @DisplayName("§2.2: revoking an already revoked token is answered 200 too")
    void revokeWhenRevokedTwiceThen200Both() {
      String token = issue(service);
      assertThat(revoke("token=" + token, service).status()).isEqualTo(200);
      assertThat(revoke("token=" + token, service).status()).isEqualTo(200);
      assertThat(active(token)).isFalse();
    }

    @Test
    void revokeWhenOneTokenRevokedThenOtherTokensOfTheClientStayActive() {
      String first = issue(service);
      String second = issue(service);
      assertThat(revoke("token=" + first, service).status()).isEqualTo(200);
      assertThat(active(first)).isFalse();
      assertThat(active(second)).isTrue();
    }

    @Test
    void revokeWhenTokenOfAnotherTenantThen200AndTokenStaysActiveThere() {
      server.createTenant("globex");
      JsonNode g = server.createClient("globex", Map.of("name", "g"));
      TestServer.Response issued = server.postForm("/t/globex/oauth2/token",
          "grant_type=client_credentials", Rfc7662IntrospectionTest.basic(g));
      String token = issued.json().get("access_token").asText();
      assertThat(revoke("token=" + token, service).status()).isEqualTo(200);
      assertThat(server.postForm("/t/globex/oauth2/introspect", "token=" + token,
          Rfc7662IntrospectionTest.basic(g)).json().get("active").asBoolean()).isTrue();
    }
  }
}
