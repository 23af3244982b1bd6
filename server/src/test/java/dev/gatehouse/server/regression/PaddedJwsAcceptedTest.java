package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GH-16: a JWT with {@code ==} appended to its signature was accepted. RFC 7515 §2 defines the
 * parts of a compact JWS as base64url "with all trailing '=' characters omitted"; a second
 * spelling of a token is a second string (another cache entry, another value to deny-list) for
 * the same signature. Every JWS the server parses must be canonical: access tokens (here through
 * introspection and the admin API), client assertions and id_token_hint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PaddedJwsAcceptedTest {

  private TestServer server;
  private JsonNode service;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("gh16");
    service = server.createClient("gh16", Map.of("name", "svc"));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private boolean active(String token) {
    return server.postForm("/t/gh16/oauth2/introspect", "token=" + UserSignIn.enc(token),
        UserSignIn.basic(service)).json().get("active").asBoolean();
  }

  @Test
  void whenAccessTokenSignatureIsPaddedThenInactive() {
    String token = server.postForm("/t/gh16/oauth2/token", "grant_type=client_credentials",
        UserSignIn.basic(service)).json().get("access_token").asText();
    assertThat(active(token)).isTrue();
    assertThat(active(token + "==")).isFalse();
    assertThat(active(token + "=")).isFalse();
  }

  @Test
  void whenAdminTokenSignatureIsPaddedThenUnauthorized() {
    TestServer.Response r = server.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(server.httpUrl() + "/admin/v1/tenants"))
        .header("Authorization", "Bearer " + server.adminToken() + "==").GET().build());
    assertThat(r.status()).as("%s", r).isEqualTo(401);
  }

  @Test
  void whenClientAssertionSignatureIsPaddedThenInvalidClient() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    Map<String, Object> jwks = TestServer.JSON.readValue(
        new JWKSet(List.of(key.toPublicJWK())).toString(true), Map.class);
    String id = server.createClient("gh16", Map.of("name", "signer",
        "token_endpoint_auth_method", "private_key_jwt", "jwks", jwks)).get("client_id").asText();
    String tokenEndpoint = server.issuer("gh16") + "/oauth2/token";
    java.util.function.Supplier<String> assertion = () -> {
      long now = System.currentTimeMillis();
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(),
          new JWTClaimsSet.Builder().issuer(id).subject(id).audience(tokenEndpoint)
              .jwtID(UUID.randomUUID().toString()).issueTime(new Date(now))
              .expirationTime(new Date(now + 60_000)).build());
      try {
        jwt.sign(new ECDSASigner(key));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return jwt.serialize();
    };
    String prefix = "grant_type=client_credentials&client_assertion_type="
        + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            StandardCharsets.UTF_8) + "&client_assertion=";
    assertThat(server.postForm("/t/gh16/oauth2/token", prefix + assertion.get(), null).status())
        .isEqualTo(200);
    TestServer.Response padded = server.postForm("/t/gh16/oauth2/token",
        prefix + UserSignIn.enc(assertion.get() + "=="), null);
    assertThat(padded.status()).as("%s", padded).isEqualTo(401);
    assertThat(padded.json().get("error").asText()).isEqualTo("invalid_client");
  }

  @Test
  void whenIdTokenHintSignatureIsPaddedThenTheLogoutRequestIsRefused() {
    UserSignIn in = new UserSignIn(server, "gh16");
    JsonNode web = in.webClient("web", Map.of());
    in.user("frank");
    Browser browser = new Browser();
    String idToken = in.tokens(browser, web, "frank", "openid").get("id_token").asText();
    String logout = server.issuer("gh16") + "/logout?id_token_hint=";
    assertThat(browser.get(logout + UserSignIn.enc(idToken)).status()).isEqualTo(200);
    TestServer.Response padded = browser.get(logout + UserSignIn.enc(idToken + "=="));
    assertThat(padded.status()).as("%s", padded).isEqualTo(400);
  }
}
