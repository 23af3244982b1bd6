package dev.gatehouse.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** RFC 7662, OAuth 2.0 token introspection. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("RFC 7662 token introspection")
class Rfc7662IntrospectionTest {

  private static final String INTROSPECT = "/t/acme/oauth2/introspect";

  private TestServer server;
  private JsonNode service;
  private JsonNode opaqueService;
  private JsonNode shortLived;
  private JsonNode resourceServer;
  private JsonNode globexService;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("acme");
    server.createTenant("globex");
    // The resource server introspects the tokens issued for it: its client_id is their audience.
    resourceServer = server.createClient("acme", Map.of("name", "api"));
    List<String> forApi = List.of(resourceServer.get("client_id").asText());
    service = server.createClient("acme", Map.of("name", "billing", "scope", "a b",
        "audience", forApi));
    opaqueService = server.createClient("acme", Map.of("name", "legacy", "scope", "r",
        "token_format", "opaque", "audience", forApi));
    // Seconds of slack between issuing and the first introspection, on a loaded machine too.
    shortLived = server.createClient("acme", Map.of("name", "short", "access_token_ttl", 3,
        "audience", forApi));
    globexService = server.createClient("globex", Map.of("name", "g", "scope", "a"));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  static String basic(JsonNode client) {
    return TestServer.basic(client.get("client_id").asText(),
        client.get("client_secret").asText());
  }

  private String issue(String tenant, JsonNode client, String scope) {
    TestServer.Response r = server.postForm("/t/" + tenant + "/oauth2/token",
        "grant_type=client_credentials" + (scope == null ? "" : "&scope=" + scope),
        basic(client));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().get("access_token").asText();
  }

  private TestServer.Response introspect(String tenant, String token) {
    return server.postForm("/t/" + tenant + "/oauth2/introspect",
        "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8), basic(resourceServer));
  }

  /**
   * Introspects {@code token} until it is inactive, for at most three seconds past {@code exp};
   * it must not turn inactive before its {@code exp} second has begun.
   */
  private void pollUntilExpired(String token, long exp) throws InterruptedException {
    long deadline = (exp + 3) * 1000;
    while (System.currentTimeMillis() < deadline) {
      TestServer.Response r = introspect("acme", token);
      long answeredBy = System.currentTimeMillis();
      if (!r.json().get("active").asBoolean()) {
        assertThat(answeredBy / 1000).as("inactive only from its exp").isGreaterThanOrEqualTo(exp);
        assertInactive(r);
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("still active three seconds past exp " + exp);
  }

  /** RFC 7662 §2.2: for an inactive token, {@code {"active": false}} and nothing more. */
  private static void assertInactive(TestServer.Response r) {
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.get("active").asBoolean(true)).isFalse();
    Iterator<String> names = body.fieldNames();
    assertThat(names.next()).isEqualTo("active");
    assertThat(names.hasNext()).as("fields beside active: %s", body).isFalse();
  }

  @Nested
  @DisplayName("RFC 7662 §2.1 introspection request")
  class Request {

    @Test
    @DisplayName("§2.1: \"To prevent token scanning attacks, the endpoint MUST also require some"
        + " form of authorization to access this endpoint\"")
    void introspectWhenNoClientAuthenticationThenInvalidClient401() {
      TestServer.Response r = server.postForm(INTROSPECT,
          "token=" + issue("acme", service, null), null);
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.json().get("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    @DisplayName("§2.3: \"If the protected resource uses OAuth 2.0 client credentials to"
        + " authenticate ... and either authentication fails ... responds with an HTTP 401\"")
    void introspectWhenClientSecretWrongThenInvalidClient401WithChallenge() {
      TestServer.Response r = server.postForm(INTROSPECT, "token=x",
          TestServer.basic(resourceServer.get("client_id").asText(), "wrong"));
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.json().get("error").asText()).isEqualTo("invalid_client");
      assertThat(r.header("WWW-Authenticate")).startsWith("Basic");
    }

    @Test
    void introspectWhenClientOfAnotherTenantThenInvalidClient() {
      TestServer.Response r = server.postForm(INTROSPECT, "token=x", basic(globexService));
      assertThat(r.status()).isEqualTo(401);
    }

    @Test
    @DisplayName("§2.1: token is REQUIRED")
    void introspectWhenTokenMissingThenInvalidRequest() {
      TestServer.Response r = server.postForm(INTROSPECT, "token_type_hint=access_token",
          basic(resourceServer));
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().get("error").asText()).isEqualTo("invalid_request");
    }

    @Test
    @DisplayName("§2.1: token_type_hint is a hint: \"If the server is unable to locate the token"
        + " using the given hint, it MUST extend its search across all of its supported token"
        + " types\"")
    void introspectWhenHintIsWrongThenTokenIsStillFound() {
      String token = issue("acme", service, null);
      TestServer.Response r = server.postForm(INTROSPECT,
          "token=" + token + "&token_type_hint=refresh_token", basic(resourceServer));
      assertThat(r.json().get("active").asBoolean()).isTrue();
    }
  }

  @Nested
  @DisplayName("RFC 7662 §2.2 introspection response")
  class ActiveResponse {

    @Test
    @DisplayName("§2.2: active REQUIRED; scope, client_id, token_type, exp, iat, sub, aud, iss,"
        + " jti as the token carries them")
    void introspectWhenJwtActiveThenEveryFieldDescribesIt() throws Exception {
      String token = issue("acme", service, "a");
      TestServer.Response r = introspect("acme", token);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Cache-Control")).isEqualTo("no-store");
      JsonNode body = r.json();
      var claims = com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet();
      assertThat(body.get("active").asBoolean()).isTrue();
      assertThat(body.get("scope").asText()).isEqualTo("a");
      assertThat(body.get("client_id").asText()).isEqualTo(service.get("client_id").asText());
      assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
      assertThat(body.get("sub").asText()).isEqualTo(claims.getSubject());
      assertThat(body.get("iss").asText()).isEqualTo(server.issuer("acme"));
      assertThat(body.get("aud").asText()).isEqualTo(resourceServer.get("client_id").asText());
      assertThat(body.get("jti").asText()).isEqualTo(claims.getJWTID());
      assertThat(body.get("exp").asLong()).isEqualTo(claims.getExpirationTime().getTime() / 1000);
      assertThat(body.get("iat").asLong()).isEqualTo(claims.getIssueTime().getTime() / 1000);
    }

    @Test
    void introspectWhenNimbusClientThenParsedAsActive() throws Exception {
      String token = issue("acme", service, "a+b");
      TokenIntrospectionSuccessResponse r = TokenIntrospectionResponse.parse(
          new TokenIntrospectionRequest(URI.create(server.baseUrl() + INTROSPECT),
              new ClientSecretBasic(new ClientID(resourceServer.get("client_id").asText()),
                  new Secret(resourceServer.get("client_secret").asText())),
              new BearerAccessToken(token)).toHTTPRequest().send()).toSuccessResponse();
      assertThat(r.isActive()).isTrue();
      assertThat(r.getScope()).isEqualTo(new Scope("a", "b"));
      assertThat(r.getExpirationTime()).isNotNull();
    }

    @Test
    void introspectWhenOpaqueActiveThenSameFields() {
      String token = issue("acme", opaqueService, null);
      assertThat(token).doesNotContain(".");
      JsonNode body = introspect("acme", token).json();
      assertThat(body.get("active").asBoolean()).isTrue();
      assertThat(body.get("client_id").asText()).isEqualTo(opaqueService.get("client_id").asText());
      assertThat(body.get("scope").asText()).isEqualTo("r");
      // An opaque token's audience is the one its client registered.
      assertThat(body.get("aud").asText()).isEqualTo(resourceServer.get("client_id").asText());
      assertThat(body.get("iss").asText()).isEqualTo(server.issuer("acme"));
      assertThat(body.get("exp").asLong()).isGreaterThan(body.get("iat").asLong());
      assertThat(body.get("jti").asText()).isNotBlank();
    }

    @Test
    void introspectWhenSelfIntrospectingThenActive() {
      String token = issue("acme", service, null);
      TestServer.Response r = server.postForm(INTROSPECT, "token=" + token, basic(service));
      assertThat(r.json().get("active").asBoolean()).isTrue();
    }
  }

  @Nested
  @DisplayName("RFC 7662 §4 security considerations")
  class WhoMayIntrospect {

    @Test
    @DisplayName("§4: \"the authorization server MUST determine whether or not the protected"
        + " resource is allowed to introspect the token\": a client neither issued the token nor"
        + " in its audience gets active false")
    void introspectWhenCallerIsNeitherTheTokensClientNorInItsAudienceThenInactive() {
      JsonNode bystander = server.createClient("acme", Map.of("name", "bystander"));
      for (JsonNode issuer : List.of(service, opaqueService)) {
        String token = issue("acme", issuer, null);
        assertThat(introspect("acme", token).json().get("active").asBoolean()).isTrue();
        assertInactive(server.postForm(INTROSPECT, "token=" + token, basic(bystander)));
      }
    }
  }

  @Nested
  @DisplayName("RFC 7662 §2.2 inactive tokens")
  class InactiveResponse {

    @Test
    @DisplayName("§2.2: \"If the introspection call is properly authorized but the token is not"
        + " active, does not exist on this server, or the protected resource is not allowed to"
        + " introspect this particular token, then the authorization server MUST return an"
        + " introspection response with the active field set to false\"")
    void introspectWhenTokenIsGarbageThenInactive() {
      assertInactive(introspect("acme", "garbage"));
      assertInactive(introspect("acme", "a.b.c"));
      assertInactive(introspect("acme", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."));
      assertInactive(introspect("acme", "x".repeat(9000)));
    }

    @Test
    @DisplayName("§4: \"the authorization server MUST ... check whether the token has expired\"")
    void introspectWhenJwtExpiredThenInactive() throws Exception {
      String token = issue("acme", shortLived, null);
      JsonNode before = introspect("acme", token).json();
      assertThat(before.get("active").asBoolean()).isTrue();
      pollUntilExpired(token, before.get("exp").asLong());
    }

    @Test
    void introspectWhenOpaqueExpiredThenInactive() throws Exception {
      JsonNode shortOpaque = server.createClient("acme", Map.of("name", "short-opaque",
          "access_token_ttl", 3, "token_format", "opaque",
          "audience", List.of(resourceServer.get("client_id").asText())));
      String token = issue("acme", shortOpaque, null);
      JsonNode before = introspect("acme", token).json();
      assertThat(before.get("active").asBoolean()).isTrue();
      pollUntilExpired(token, before.get("exp").asLong());
    }

    @Test
    void introspectWhenJwtRevokedThenInactive() {
      String token = issue("acme", service, null);
      assertThat(server.postForm("/t/acme/oauth2/revoke", "token=" + token, basic(service))
          .status()).isEqualTo(200);
      assertInactive(introspect("acme", token));
    }

    @Test
    void introspectWhenOpaqueRevokedThenInactive() {
      String token = issue("acme", opaqueService, null);
      assertThat(server.postForm("/t/acme/oauth2/revoke", "token=" + token, basic(opaqueService))
          .status()).isEqualTo(200);
      assertInactive(introspect("acme", token));
    }

    @Test
    void introspectWhenJwtTamperedThenInactive() {
      String token = issue("acme", service, "a");
      String[] parts = token.split("\\.");
      String payload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
          new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
              .replace("\"a\"", "\"b\"").getBytes(StandardCharsets.UTF_8));
      assertInactive(introspect("acme", parts[0] + "." + payload + "." + parts[2]));
    }

    @Test
    @DisplayName("RFC 8725 §3.1: the key decides the algorithm; a header naming another alg or"
        + " none is inactive")
    void introspectWhenHeaderAlgReplacedThenInactive() throws Exception {
      String token = issue("acme", service, "a");
      String[] parts = token.split("\\.");
      String kid = com.nimbusds.jwt.SignedJWT.parse(token).getHeader().getKeyID();
      java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
      for (String alg : java.util.List.of("none", "HS256", "RS256", "ES384")) {
        String header = b64.encodeToString(("{\"alg\":\"" + alg
            + "\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}").getBytes(StandardCharsets.UTF_8));
        assertInactive(introspect("acme", header + "." + parts[1] + "." + parts[2]));
        assertInactive(introspect("acme", header + "." + parts[1] + "."));
      }
    }

    @Test
    @DisplayName("docs/architecture.md, tenant isolation: another tenant's JWT is inactive")
    void introspectWhenJwtOfAnotherTenantThenInactive() {
      String globexToken = issue("globex", globexService, null);
      assertInactive(introspect("acme", globexToken));
    }

    @Test
    @DisplayName("docs/architecture.md, tenant isolation: another tenant's opaque token is"
        + " inactive")
    void introspectWhenOpaqueOfAnotherTenantThenInactive() {
      JsonNode globexOpaque = server.createClient("globex", Map.of("name", "go",
          "token_format", "opaque"));
      String token = issue("globex", globexOpaque, null);
      assertInactive(introspect("acme", token));
    }
  }
}
