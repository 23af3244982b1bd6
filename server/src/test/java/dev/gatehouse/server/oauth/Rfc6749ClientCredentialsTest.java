package dev.gatehouse.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** RFC 6749 §4.4 (client credentials grant), §5 (token responses) and §2.3 (client auth). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("RFC 6749 client credentials")
class Rfc6749ClientCredentialsTest {

  private static final String TOKEN = "/t/acme/oauth2/token";

  private TestServer server;
  private String basicId;
  private String basicSecret;
  private String postId;
  private String postSecret;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("acme");
    JsonNode basic = server.createClient("acme",
        Map.of("name", "billing", "scope", "invoices.read invoices.write"));
    basicId = basic.get("client_id").asText();
    basicSecret = basic.get("client_secret").asText();
    JsonNode post = server.createClient("acme", Map.of("name", "poster", "scope", "reports",
        "token_endpoint_auth_method", "client_secret_post"));
    postId = post.get("client_id").asText();
    postSecret = post.get("client_secret").asText();
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private TestServer.Response token(String body, String authorization) {
    return server.postForm(TOKEN, body, authorization);
  }

  private TestServer.Response basicToken(String body) {
    return token(body, TestServer.basic(basicId, basicSecret));
  }

  private static void assertError(TestServer.Response r, int status, String error) {
    assertThat(r.status()).as("%s", r).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.json().get("error").asText()).as("%s", r).isEqualTo(error);
    // RFC 6749 §5.1 applies to every token endpoint answer carrying tokens; errors are not cached
    // either.
    assertThat(r.header("Cache-Control")).isEqualTo("no-store");
  }

  @Nested
  @DisplayName("RFC 6749 §4.4.3 and §5.1 access token response")
  class Success {

    @Test
    @DisplayName("§5.1: token_type, expires_in, scope; \"MUST include the HTTP Cache-Control"
        + " response header field with a value of no-store\" and Pragma no-cache")
    void tokenWhenClientCredentialsThenBearerTokenThatIsNotCached() {
      TestServer.Response r = basicToken("grant_type=client_credentials&scope=invoices.read");
      assertThat(r.status()).as("%s", r).isEqualTo(200);
      assertThat(r.header("Content-Type")).startsWith("application/json");
      assertThat(r.header("Cache-Control")).isEqualTo("no-store");
      assertThat(r.header("Pragma")).isEqualTo("no-cache");
      JsonNode body = r.json();
      assertThat(body.get("access_token").asText()).isNotBlank();
      assertThat(body.get("token_type").asText()).isEqualToIgnoringCase("Bearer");
      assertThat(body.get("expires_in").isIntegralNumber()).isTrue();
      assertThat(body.get("expires_in").asLong()).isEqualTo(900);
      assertThat(body.get("scope").asText()).isEqualTo("invoices.read");
    }

    @Test
    @DisplayName("§4.4.3: \"A refresh token SHOULD NOT be included\"")
    void tokenWhenClientCredentialsThenNoRefreshToken() {
      JsonNode body = basicToken("grant_type=client_credentials").json();
      assertThat(body.has("refresh_token")).isFalse();
    }

    @Test
    void tokenWhenNimbusClientSecretBasicThenAccessTokenResponse() throws Exception {
      TokenResponse response = TokenResponse.parse(new TokenRequest(
          URI.create(server.baseUrl() + TOKEN),
          new ClientSecretBasic(new ClientID(basicId), new Secret(basicSecret)),
          new com.nimbusds.oauth2.sdk.ClientCredentialsGrant(), new Scope("invoices.write"))
          .toHTTPRequest().send());
      assertThat(response.indicatesSuccess()).isTrue();
      AccessTokenResponse ok = (AccessTokenResponse) response;
      assertThat(ok.getTokens().getBearerAccessToken().getScope())
          .isEqualTo(new Scope("invoices.write"));
      assertThat(ok.getTokens().getRefreshToken()).isNull();
    }
  }

  @Nested
  @DisplayName("RFC 6749 §3.3 access token scope")
  class Scopes {

    @Test
    @DisplayName("§3.3: the authorization server MAY issue a narrower scope than registered")
    void tokenWhenSubsetOfScopeRequestedThenOnlyThatSubsetGranted() {
      JsonNode body = basicToken("grant_type=client_credentials&scope=invoices.write").json();
      assertThat(body.get("scope").asText()).isEqualTo("invoices.write");
    }

    @Test
    void tokenWhenBothScopesRequestedThenBothGranted() {
      JsonNode body = basicToken(
          "grant_type=client_credentials&scope=invoices.write+invoices.read").json();
      assertThat(Set.of(body.get("scope").asText().split(" ")))
          .containsExactlyInAnyOrder("invoices.read", "invoices.write");
    }

    @Test
    @DisplayName("§3.3: \"If the client omits the scope parameter ... the authorization server"
        + " MUST either process the request using a pre-defined default value\"")
    void tokenWhenScopeOmittedThenDefaultScopeGranted() {
      JsonNode body = basicToken("grant_type=client_credentials").json();
      assertThat(Set.of(body.get("scope").asText().split(" ")))
          .containsExactlyInAnyOrder("invoices.read", "invoices.write");
    }

    @Test
    @DisplayName("§5.2 invalid_scope: \"The requested scope is invalid, unknown, malformed, or"
        + " exceeds the scope granted by the resource owner\"")
    void tokenWhenScopeNotAllowedThenInvalidScope() {
      assertError(basicToken("grant_type=client_credentials&scope=invoices.read+admin"), 400,
          "invalid_scope");
    }

    @Test
    void tokenWhenScopeMalformedThenInvalidScope() {
      assertError(basicToken("grant_type=client_credentials&scope=%22quoted%22"), 400,
          "invalid_scope");
    }
  }

  @Nested
  @DisplayName("RFC 6749 §5.2 error response")
  class Errors {

    @Test
    @DisplayName("§5.2 unsupported_grant_type: \"The authorization grant type is not supported by"
        + " the authorization server\"")
    void tokenWhenGrantTypeUnknownThenUnsupportedGrantType() {
      assertError(basicToken("grant_type=urn%3Aexample%3Amagic"), 400, "unsupported_grant_type");
    }

    @Test
    @DisplayName("§5.2 invalid_request: \"The request is missing a required parameter\"")
    void tokenWhenGrantTypeMissingThenInvalidRequest() {
      assertError(basicToken("scope=invoices.read"), 400, "invalid_request");
    }

    @Test
    @DisplayName("§3.1/§3.2: \"Request and response parameters MUST NOT be included more than"
        + " once\"; §5.2 invalid_request: \"repeats a parameter\"")
    void tokenWhenParameterRepeatedThenInvalidRequest() {
      assertError(basicToken("grant_type=client_credentials&grant_type=client_credentials"), 400,
          "invalid_request");
      assertError(basicToken("grant_type=client_credentials&scope=invoices.read&scope=reports"),
          400, "invalid_request");
    }

    @Test
    @DisplayName("§3.1: \"Parameters sent without a value MUST be treated as if they were omitted"
        + " from the request\"")
    void tokenWhenScopeHasNoValueThenTreatedAsOmitted() {
      TestServer.Response r = basicToken("grant_type=client_credentials&scope=");
      assertThat(r.status()).as("%s", r).isEqualTo(200);
      assertThat(Set.of(r.json().get("scope").asText().split(" ")))
          .containsExactlyInAnyOrder("invoices.read", "invoices.write");
    }

    @Test
    @DisplayName("§5.2: \"Values for the error_description parameter MUST NOT include characters"
        + " outside the set %x20-21 / %x23-5B / %x5D-7E\"")
    void errorDescriptionWhenAnyErrorThenOnlyAllowedCharacters() {
      List<TestServer.Response> errors = List.of(
          basicToken("grant_type=%22quoted%5Cback%C3%A9"),
          basicToken("grant_type=client_credentials&scope=ok+%22bad%5C%C3%A9"),
          basicToken("grant_type=client_credentials&%22n%5C%C3%A9=1&%22n%5C%C3%A9=2"),
          basicToken("grant_type=client_credentials&scope=admin%22"),
          server.get(TOKEN),
          server.postForm("/t/%22x%5C/oauth2/token", "grant_type=client_credentials", null),
          token("grant_type=client_credentials", "Basic !!"),
          token("grant_type=client_credentials", TestServer.basic(postId, postSecret)));
      for (TestServer.Response r : errors) {
        assertThat(r.status()).as("%s", r).isBetween(400, 499);
        String description = r.json().get("error_description").asText();
        assertThat(description.chars().allMatch(c -> c == 0x20 || c == 0x21
            || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E)))
            .as("error_description `%s`", description).isTrue();
        String error = r.json().get("error").asText();
        assertThat(error).matches("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]+");
      }
    }

    @Test
    @DisplayName("§5.2 unauthorized_client: \"The authenticated client is not authorized to use"
        + " this authorization grant type\"")
    void tokenWhenClientLacksGrantThenUnauthorizedClient() {
      // Registration only accepts client_credentials today, so the rule is checked on the grant.
      Client client = client(Client.ClientType.CONFIDENTIAL, Set.of());
      assertThatThrownBy(() -> new ClientCredentialsGrant(null).handle(client,
          Map.of("grant_type", "client_credentials")))
          .isInstanceOfSatisfying(OAuthException.class, e -> {
            assertThat(e.error()).isEqualTo("unauthorized_client");
            assertThat(e.status()).isEqualTo(400);
          });
    }

    @Test
    @DisplayName("§4.4: \"The client credentials grant type MUST only be used by confidential"
        + " clients\"")
    void tokenWhenPublicClientThenUnauthorizedClient() {
      Client client = client(Client.ClientType.PUBLIC, Set.of(Grants.CLIENT_CREDENTIALS));
      assertThatThrownBy(() -> new ClientCredentialsGrant(null).handle(client,
          Map.of("grant_type", "client_credentials")))
          .isInstanceOfSatisfying(OAuthException.class,
              e -> assertThat(e.error()).isEqualTo("unauthorized_client"));
    }

    @Test
    void registrationWhenPublicClientAsksForClientCredentialsThenRefused() {
      TestServer.Response r = server.admin("POST", "/admin/v1/tenants/acme/clients",
          Map.of("name", "spa", "public", true));
      assertThat(r.status()).as("%s", r).isEqualTo(400);
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    }

    private Client client(Client.ClientType type, Set<String> grants) {
      return new Client("acme", "c1", "c1", type, AuthMethod.CLIENT_SECRET_BASIC, "h", grants,
          Set.of("a"), Client.TokenFormat.JWT,
          dev.gatehouse.server.keys.KeyAlgorithm.ES256, 60, null, List.of(), 0);
    }
  }

  @Nested
  @DisplayName("RFC 6749 §2.3 client authentication")
  class ClientAuthentication {

    @Test
    @DisplayName("§5.2 invalid_client: \"the authorization server MUST respond with an HTTP 401"
        + " (Unauthorized) status code and MUST include the WWW-Authenticate response header\"")
    void tokenWhenClientSecretWrongThenInvalidClient() {
      TestServer.Response r = token("grant_type=client_credentials",
          TestServer.basic(basicId, basicSecret + "x"));
      assertError(r, 401, "invalid_client");
      assertThat(r.header("WWW-Authenticate")).startsWith("Basic");
    }

    @Test
    void tokenWhenClientSecretEmptyThenInvalidClient() {
      TestServer.Response r = token("grant_type=client_credentials",
          TestServer.basic(basicId, ""));
      assertError(r, 401, "invalid_client");
      assertThat(r.header("WWW-Authenticate")).startsWith("Basic");
    }

    @Test
    void tokenWhenClientUnknownThenInvalidClient() {
      TestServer.Response r = token("grant_type=client_credentials",
          TestServer.basic("no-such-client", basicSecret));
      assertError(r, 401, "invalid_client");
      assertThat(r.header("WWW-Authenticate")).startsWith("Basic");
    }

    @Test
    @DisplayName("§5.2 invalid_client: \"no client authentication included\"")
    void tokenWhenNoClientAuthenticationThenInvalidClient() {
      assertError(token("grant_type=client_credentials", null), 401, "invalid_client");
      assertError(token("grant_type=client_credentials&client_id=" + basicId, null), 401,
          "invalid_client");
    }

    @Test
    void tokenWhenClientOfAnotherTenantThenInvalidClient() {
      server.createTenant("globex");
      TestServer.Response r = server.postForm("/t/globex/oauth2/token",
          "grant_type=client_credentials", TestServer.basic(basicId, basicSecret));
      assertError(r, 401, "invalid_client");
    }

    @Test
    @DisplayName("§2.3.1: \"The client identifier is encoded using the"
        + " application/x-www-form-urlencoded encoding algorithm ... and the encoded value is used"
        + " as the username\"")
    void tokenWhenBasicCredentialsFormUrlEncodedThenDecodedBeforeComparison() {
      String id = percentEncodeEverything(basicId);
      String secret = percentEncodeEverything(basicSecret);
      String header = "Basic " + Base64.getEncoder().encodeToString(
          (id + ":" + secret).getBytes(StandardCharsets.UTF_8));
      TestServer.Response r = token("grant_type=client_credentials", header);
      assertThat(r.status()).as("%s", r).isEqualTo(200);
    }

    @Test
    void tokenWhenBasicSchemeInOtherCaseThenAccepted() {
      String header = TestServer.basic(basicId, basicSecret).replace("Basic ", "bAsIc ");
      assertThat(token("grant_type=client_credentials", header).status()).isEqualTo(200);
    }

    @Test
    @DisplayName("§2.3.1: client_secret_post, \"including the client credentials in the"
        + " request-body\"")
    void tokenWhenClientSecretPostRegisteredThenCredentialsInBodyAccepted() throws Exception {
      TestServer.Response r = token("grant_type=client_credentials&client_id=" + postId
          + "&client_secret=" + URLEncoder.encode(postSecret, StandardCharsets.UTF_8), null);
      assertThat(r.status()).as("%s", r).isEqualTo(200);
      assertThat(r.json().get("scope").asText()).isEqualTo("reports");

      TokenResponse viaNimbus = TokenResponse.parse(new TokenRequest(
          URI.create(server.baseUrl() + TOKEN),
          new ClientSecretPost(new ClientID(postId), new Secret(postSecret)),
          new com.nimbusds.oauth2.sdk.ClientCredentialsGrant(), null).toHTTPRequest().send());
      assertThat(viaNimbus.indicatesSuccess()).isTrue();
    }

    @Test
    void tokenWhenClientSecretPostClientUsesBasicThenInvalidClient() {
      assertError(token("grant_type=client_credentials", TestServer.basic(postId, postSecret)),
          401, "invalid_client");
    }

    @Test
    void tokenWhenClientSecretBasicClientUsesPostThenInvalidClient() {
      assertError(token("grant_type=client_credentials&client_id=" + basicId + "&client_secret="
          + basicSecret, null), 401, "invalid_client");
    }

    @Test
    @DisplayName("§2.3: \"The client MUST NOT use more than one authentication method in each"
        + " request\"")
    void tokenWhenTwoAuthenticationMethodsThenInvalidRequest() {
      assertError(token("grant_type=client_credentials&client_id=" + basicId + "&client_secret="
          + basicSecret, TestServer.basic(basicId, basicSecret)), 400, "invalid_request");
      assertError(token("grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams"
              + "%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=a.b.c",
          TestServer.basic(basicId, basicSecret)), 400, "invalid_request");
    }

    @Test
    void tokenWhenBodyClientIdDiffersFromBasicThenInvalidClient() {
      assertError(token("grant_type=client_credentials&client_id=" + postId,
          TestServer.basic(basicId, basicSecret)), 401, "invalid_client");
    }

    @Test
    void tokenWhenSecretRotatedThenOldSecretRefusedAndNewOneAccepted() {
      JsonNode c = server.createClient("acme", Map.of("name", "rotating"));
      String id = c.get("client_id").asText();
      String oldSecret = c.get("client_secret").asText();
      assertThat(token("grant_type=client_credentials", TestServer.basic(id, oldSecret)).status())
          .isEqualTo(200);
      TestServer.Response rotated = server.admin("POST",
          "/admin/v1/tenants/acme/clients/" + id + "/secret", null);
      assertThat(rotated.status()).as("%s", rotated).isEqualTo(200);
      String newSecret = rotated.json().get("client_secret").asText();
      assertThat(newSecret).isNotEqualTo(oldSecret);
      assertError(token("grant_type=client_credentials", TestServer.basic(id, oldSecret)), 401,
          "invalid_client");
      assertThat(token("grant_type=client_credentials", TestServer.basic(id, newSecret)).status())
          .isEqualTo(200);
    }

    @Test
    void tokenWhenClientDeletedThenInvalidClientAtOnce() {
      JsonNode c = server.createClient("acme", Map.of("name", "doomed"));
      String id = c.get("client_id").asText();
      String secret = c.get("client_secret").asText();
      assertThat(token("grant_type=client_credentials", TestServer.basic(id, secret)).status())
          .isEqualTo(200);
      assertThat(server.admin("DELETE", "/admin/v1/tenants/acme/clients/" + id, null).status())
          .isEqualTo(204);
      assertError(token("grant_type=client_credentials", TestServer.basic(id, secret)), 401,
          "invalid_client");
    }

    private static String percentEncodeEverything(String s) {
      StringBuilder b = new StringBuilder();
      for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
        b.append('%').append(String.format("%02X", c & 0xff));
      }
      return b.toString();
    }
  }
}
