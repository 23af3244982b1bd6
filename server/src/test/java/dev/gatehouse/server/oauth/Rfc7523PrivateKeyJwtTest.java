package dev.gatehouse.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * RFC 7523 §2.2 and §3: JWTs for client authentication (private_key_jwt, OpenID Connect Core §9),
 * with RSA and EC client keys generated and signed by Nimbus.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("RFC 7523 private_key_jwt client authentication")
class Rfc7523PrivateKeyJwtTest {

  private static final String JWT_BEARER =
      "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  private TestServer server;
  private RSAKey rsa;
  private ECKey ec;
  private String clientId;
  private URI tokenEndpoint;

  @BeforeAll
  void start() throws Exception {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("acme");
    rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    Map<String, Object> jwks = TestServer.JSON.readValue(
        new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString(true), Map.class);
    JsonNode client = server.createClient("acme", Map.of("name", "signer", "scope", "jobs",
        "token_endpoint_auth_method", "private_key_jwt", "jwks", jwks));
    assertThat(client.has("client_secret")).isFalse();
    clientId = client.get("client_id").asText();
    tokenEndpoint = URI.create(server.issuer("acme") + "/oauth2/token");
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private JWTClaimsSet.Builder claims() {
    long now = System.currentTimeMillis();
    return new JWTClaimsSet.Builder()
        .issuer(clientId)
        .subject(clientId)
        .audience(tokenEndpoint.toString())
        .jwtID(UUID.randomUUID().toString())
        .issueTime(new Date(now))
        .expirationTime(new Date(now + 120_000));
  }

  private static String sign(JWTClaimsSet claims, JWSAlgorithm alg, String kid, JWSSigner signer)
      throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  private String rsaSigned(JWTClaimsSet claims) throws Exception {
    return sign(claims, JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa));
  }

  private TestServer.Response token(String assertion) {
    return server.postForm("/t/acme/oauth2/token", "grant_type=client_credentials"
        + "&client_assertion_type=" + URLEncoder.encode(JWT_BEARER, StandardCharsets.UTF_8)
        + "&client_assertion=" + assertion, null);
  }

  private static void assertInvalidClient(TestServer.Response r) {
    assertThat(r.status()).as("%s", r).isEqualTo(401);
    assertThat(r.json().get("error").asText()).isEqualTo("invalid_client");
  }

  @Nested
  @DisplayName("RFC 7523 §2.2 using JWTs for client authentication")
  class Authentication {

    @Test
    void tokenWhenNimbusPrivateKeyJwtWithRsaKeyThenAccessToken() throws Exception {
      PrivateKeyJWT auth = new PrivateKeyJWT(new ClientID(clientId), tokenEndpoint,
          JWSAlgorithm.RS256, rsa.toPrivateKey(), "rsa-1", null);
      TokenResponse r = TokenResponse.parse(new TokenRequest(tokenEndpoint, auth,
          new ClientCredentialsGrant(), null).toHTTPRequest().send());
      assertThat(r.indicatesSuccess()).as("%s", r.indicatesSuccess() ? ""
          : r.toErrorResponse().getErrorObject()).isTrue();
      assertThat(((AccessTokenResponse) r).getTokens().getAccessToken().getScope().toString())
          .isEqualTo("jobs");
    }

    @Test
    void tokenWhenNimbusPrivateKeyJwtWithEcKeyThenAccessToken() throws Exception {
      PrivateKeyJWT auth = new PrivateKeyJWT(new ClientID(clientId), tokenEndpoint,
          JWSAlgorithm.ES256, ec.toPrivateKey(), "ec-1", null);
      TokenResponse r = TokenResponse.parse(new TokenRequest(tokenEndpoint, auth,
          new ClientCredentialsGrant(), null).toHTTPRequest().send());
      assertThat(r.indicatesSuccess()).isTrue();
    }

    @Test
    @DisplayName("§3: aud \"The token endpoint URL of the authorization server MAY be used\";"
        + " the issuer identifier is accepted as well")
    void tokenWhenAudienceIsTheIssuerThenAccessToken() throws Exception {
      assertThat(token(rsaSigned(claims().audience(server.issuer("acme")).build())).status())
          .isEqualTo(200);
    }

    @Test
    void tokenWhenAssertionHasNoKidThenEveryRegisteredKeyIsTried() throws Exception {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).build(),
          claims().build());
      jwt.sign(new ECDSASigner(ec));
      assertThat(token(jwt.serialize()).status()).isEqualTo(200);
    }

    @Test
    void introspectWhenAuthenticatedWithPrivateKeyJwtThenAnswered() throws Exception {
      String accessToken = token(rsaSigned(claims().build())).json().get("access_token").asText();
      String assertion = rsaSigned(claims()
          .audience(server.issuer("acme") + "/oauth2/introspect").build());
      TestServer.Response r = server.postForm("/t/acme/oauth2/introspect", "token=" + accessToken
          + "&client_assertion_type=" + URLEncoder.encode(JWT_BEARER, StandardCharsets.UTF_8)
          + "&client_assertion=" + assertion, null);
      assertThat(r.status()).as("%s", r).isEqualTo(200);
      assertThat(r.json().get("active").asBoolean()).isTrue();
    }

    @Test
    @DisplayName("§2.2: client_assertion_type \"MUST be"
        + " urn:ietf:params:oauth:client-assertion-type:jwt-bearer\"")
    void tokenWhenAssertionTypeWrongThenInvalidClient() throws Exception {
      TestServer.Response r = server.postForm("/t/acme/oauth2/token",
          "grant_type=client_credentials&client_assertion_type=urn%3Aexample&client_assertion="
              + rsaSigned(claims().build()), null);
      assertInvalidClient(r);
    }
  }

  @Nested
  @DisplayName("RFC 7523 §3 JWT format and processing requirements")
  class Processing {

    @Test
    @DisplayName("§3 item 9: \"The JWT MUST be digitally signed ... The authorization server MUST"
        + " reject JWTs with an invalid signature\"")
    void tokenWhenSignedWithAnUnregisteredKeyThenInvalidClient() throws Exception {
      RSAKey impostor = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
      assertInvalidClient(token(sign(claims().build(), JWSAlgorithm.RS256, "rsa-1",
          new RSASSASigner(impostor))));
    }

    @Test
    @DisplayName("RFC 8725 §2.1/§3.1: an HMAC assertion keyed with the client's public key"
        + " (algorithm confusion) is refused")
    void tokenWhenSignedWithHmacOverThePublicKeyThenInvalidClient() throws Exception {
      byte[] publicKeyAsSecret = rsa.toPublicJWK().toJSONString()
          .getBytes(StandardCharsets.UTF_8);
      assertInvalidClient(token(sign(claims().build(), JWSAlgorithm.HS256, "rsa-1",
          new com.nimbusds.jose.crypto.MACSigner(publicKeyAsSecret))));
      byte[] modulus = rsa.getModulus().decode();
      assertInvalidClient(token(sign(claims().build(), JWSAlgorithm.HS256, "rsa-1",
          new com.nimbusds.jose.crypto.MACSigner(modulus))));
    }

    @Test
    void tokenWhenUnsignedThenInvalidClient() throws Exception {
      String unsigned = new com.nimbusds.jwt.PlainJWT(claims().build()).serialize();
      assertInvalidClient(token(unsigned));
    }

    @Test
    @DisplayName("§3 item 4: \"The authorization server MUST reject any JWT with an expiration"
        + " time that has passed, subject to allowable clock skew\"")
    void tokenWhenAssertionExpiredThenInvalidClient() throws Exception {
      long now = System.currentTimeMillis();
      assertInvalidClient(token(rsaSigned(claims().issueTime(new Date(now - 600_000))
          .expirationTime(new Date(now - 300_000)).build())));
    }

    @Test
    @DisplayName("§3 item 4: \"The JWT MUST contain an exp (expiration time) claim\"")
    void tokenWhenAssertionHasNoExpThenInvalidClient() throws Exception {
      assertInvalidClient(token(rsaSigned(claims().expirationTime(null).build())));
    }

    @Test
    @DisplayName("§3 item 3: \"The authorization server MUST reject any JWT that does not contain"
        + " its own identity as the intended audience\"")
    void tokenWhenAudienceWrongThenInvalidClient() throws Exception {
      assertInvalidClient(token(rsaSigned(claims().audience("https://elsewhere.example/token")
          .build())));
      assertInvalidClient(token(rsaSigned(claims().audience(server.issuer("globex")).build())));
    }

    @Test
    @DisplayName("§3 item 3: \"The JWT MUST contain an aud (audience) claim\"")
    void tokenWhenAudienceMissingThenInvalidClient() throws Exception {
      assertInvalidClient(token(rsaSigned(claims().audience((String) null).build())));
    }

    @Test
    @DisplayName("§3 items 1-2 with §2.2: \"For client authentication, the subject MUST be the"
        + " client_id of the OAuth client\"; iss is the client too (OpenID Connect Core §9)")
    void tokenWhenIssuerDiffersFromSubjectThenInvalidClient() throws Exception {
      assertInvalidClient(token(rsaSigned(claims().issuer("someone-else").build())));
      assertInvalidClient(token(rsaSigned(claims().subject("someone-else").build())));
    }

    @Test
    void tokenWhenClientIdParameterDiffersFromAssertionThenInvalidClient() throws Exception {
      TestServer.Response r = server.postForm("/t/acme/oauth2/token",
          "grant_type=client_credentials&client_id=other&client_assertion_type="
              + URLEncoder.encode(JWT_BEARER, StandardCharsets.UTF_8) + "&client_assertion="
              + rsaSigned(claims().build()), null);
      assertInvalidClient(r);
    }

    @Test
    @DisplayName("§3 item 7: \"The authorization server MAY ensure that JWTs are not replayed by"
        + " maintaining the set of used jti values\" (we do)")
    void tokenWhenAssertionReplayedThenInvalidClient() throws Exception {
      String assertion = rsaSigned(claims().build());
      assertThat(token(assertion).status()).isEqualTo(200);
      assertInvalidClient(token(assertion));
    }

    @Test
    void tokenWhenSameAssertionSentConcurrentlyThenExactlyOneSucceeds() throws Exception {
      String assertion = rsaSigned(claims().build());
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(8);
      try {
        List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
          answers.add(pool.submit(() -> token(assertion).status()));
        }
        List<Integer> statuses = new java.util.ArrayList<>();
        for (var a : answers) {
          statuses.add(a.get());
        }
        assertThat(statuses).containsOnly(200, 401);
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    void tokenWhenAssertionHasNoJtiThenInvalidClient() throws Exception {
      assertInvalidClient(token(rsaSigned(claims().jwtID(null).build())));
    }

    @Test
    @DisplayName("§3 item 5: \"The JWT MAY contain an nbf (not before) claim\" — not yet valid is"
        + " refused")
    void tokenWhenAssertionNotYetValidThenInvalidClient() throws Exception {
      long now = System.currentTimeMillis();
      assertInvalidClient(token(rsaSigned(claims().notBeforeTime(new Date(now + 300_000))
          .expirationTime(new Date(now + 400_000)).build())));
    }

    @Test
    void tokenWhenAssertionLivesTooLongThenInvalidClient() throws Exception {
      long now = System.currentTimeMillis();
      assertInvalidClient(token(rsaSigned(claims()
          .expirationTime(new Date(now + 86_400_000L)).build())));
    }

    @Test
    void tokenWhenAssertionIsNotAJwtThenInvalidClient() {
      assertInvalidClient(token("not-a-jwt"));
      assertInvalidClient(token("a.b.c"));
    }

    @Test
    void tokenWhenSecretClientSendsAssertionThenInvalidClient() throws Exception {
      JsonNode secretClient = server.createClient("acme", Map.of("name", "secret"));
      String id = secretClient.get("client_id").asText();
      assertInvalidClient(token(rsaSigned(claims().issuer(id).subject(id).build())));
    }

    @Test
    void tokenWhenPrivateKeyJwtClientSendsSecretThenInvalidClient() {
      TestServer.Response r = server.postForm("/t/acme/oauth2/token",
          "grant_type=client_credentials", TestServer.basic(clientId, "guess"));
      assertInvalidClient(r);
    }
  }
}
