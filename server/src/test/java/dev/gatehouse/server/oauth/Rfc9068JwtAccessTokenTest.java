package dev.gatehouse.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * RFC 9068, JWT profile for OAuth 2.0 access tokens. Tokens are checked with Nimbus against the
 * published JWKS only, independently of the server's own verification code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("RFC 9068 JWT access tokens")
class Rfc9068JwtAccessTokenTest {

  private TestServer server;
  private String clientId;
  private String secret;
  private String apiClientId;
  private String apiSecret;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("acme");
    JsonNode c = server.createClient("acme", Map.of("name", "billing", "scope", "a b",
        "access_token_ttl", 120));
    clientId = c.get("client_id").asText();
    secret = c.get("client_secret").asText();
    JsonNode api = server.createClient("acme", Map.of("name", "with-audience",
        "audience", List.of("https://api.example.com", "https://files.example.com")));
    apiClientId = api.get("client_id").asText();
    apiSecret = api.get("client_secret").asText();
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private String issue(String id, String sec, String scope) {
    TestServer.Response r = server.postForm("/t/acme/oauth2/token",
        "grant_type=client_credentials" + (scope == null ? "" : "&scope=" + scope),
        TestServer.basic(id, sec));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().get("access_token").asText();
  }

  private JWKSet jwks() throws Exception {
    TestServer.Response r = server.get("/t/acme/jwks");
    assertThat(r.status()).isEqualTo(200);
    return JWKSet.parse(r.text());
  }

  private JWTClaimsSet verify(String token) throws Exception {
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
    p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
        new ImmutableJWKSet<>(jwks())));
    return p.process(token, null);
  }

  @Nested
  @DisplayName("RFC 9068 §2.1 header")
  class Header {

    @Test
    @DisplayName("§2.1: \"Resource servers MUST ... typ header parameter ... at+jwt\"; \"JWT access"
        + " tokens MUST include this media type in the typ header parameter\"")
    void tokenWhenIssuedThenTypIsAtJwt() throws Exception {
      JWSHeader h = SignedJWT.parse(issue(clientId, secret, null)).getHeader();
      assertThat(h.getType()).isEqualTo(new JOSEObjectType("at+jwt"));
    }

    @Test
    @DisplayName("§2.1: \"JWT access tokens MUST be signed\" (ES256 by default; never none)")
    void tokenWhenIssuedThenSignedWithEs256() throws Exception {
      SignedJWT jwt = SignedJWT.parse(issue(clientId, secret, null));
      assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    }

    @Test
    void tokenWhenIssuedThenKidIsAPublishedEcKeyThatVerifiesIt() throws Exception {
      SignedJWT jwt = SignedJWT.parse(issue(clientId, secret, null));
      String kid = jwt.getHeader().getKeyID();
      assertThat(kid).isNotBlank();
      JWK key = jwks().getKeyByKeyId(kid);
      assertThat(key).isInstanceOf(ECKey.class);
      assertThat(jwt.verify(new com.nimbusds.jose.crypto.ECDSAVerifier(key.toECKey()))).isTrue();
    }
  }

  @Nested
  @DisplayName("RFC 9068 §2.2 data structure")
  class Claims {

    @Test
    @DisplayName("§2.2: iss, exp, aud, sub, client_id, iat, jti are REQUIRED")
    void tokenWhenIssuedThenCarriesEveryRequiredClaim() throws Exception {
      JWTClaimsSet c = verify(issue(clientId, secret, "a"));
      assertThat(c.getIssuer()).isEqualTo(server.issuer("acme"));
      assertThat(c.getSubject()).isEqualTo(clientId);
      assertThat(c.getAudience()).containsExactly(server.issuer("acme"));
      assertThat(c.getStringClaim("client_id")).isEqualTo(clientId);
      assertThat(c.getStringClaim("scope")).isEqualTo("a");
      assertThat(c.getJWTID()).isNotBlank();
      assertThat(c.getIssueTime()).isNotNull();
      assertThat(c.getExpirationTime()).isNotNull();
    }

    @Test
    @DisplayName("§2.2.3: \"If an authorization request includes a scope parameter, the"
        + " corresponding issued JWT access token SHOULD include a scope claim\"")
    void tokenWhenSeveralScopesThenScopeClaimIsSpaceDelimited() throws Exception {
      JWTClaimsSet c = verify(issue(clientId, secret, "a+b"));
      assertThat(Set.of(c.getStringClaim("scope").split(" "))).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void tokenWhenIssuedThenExpIsIatPlusTheClientsTtl() throws Exception {
      long before = System.currentTimeMillis() / 1000;
      JWTClaimsSet c = verify(issue(clientId, secret, null));
      long after = System.currentTimeMillis() / 1000;
      long iat = c.getIssueTime().getTime() / 1000;
      long exp = c.getExpirationTime().getTime() / 1000;
      assertThat(iat).isBetween(before - 1, after + 1);
      assertThat(exp - iat).isEqualTo(120);
    }

    @Test
    @DisplayName("§2.2 / RFC 7519 §4.1.7: jti \"MUST be assigned in a manner that ensures that"
        + " there is a negligible probability that the same value will be accidentally assigned\"")
    void tokenWhenIssuedManyTimesThenJtiIsUnique() throws Exception {
      Set<String> jtis = new HashSet<>();
      for (int i = 0; i < 25; i++) {
        jtis.add(SignedJWT.parse(issue(clientId, secret, null)).getJWTClaimsSet().getJWTID());
      }
      assertThat(jtis).hasSize(25);
    }

    @Test
    @DisplayName("§3: \"the resource indicated ... aud\": a registered audience is the token's aud")
    void tokenWhenClientHasRegisteredAudienceThenAudIsThatAudience() throws Exception {
      JWTClaimsSet c = verify(issue(apiClientId, apiSecret, null));
      assertThat(c.getAudience())
          .containsExactly("https://api.example.com", "https://files.example.com");
    }

    @Test
    @DisplayName("§2.2: with client_credentials, sub is the client (no resource owner)")
    void tokenWhenClientCredentialsThenSubIsTheClientId() throws Exception {
      JWTClaimsSet c = verify(issue(apiClientId, apiSecret, null));
      assertThat(c.getSubject()).isEqualTo(apiClientId);
      assertThat(c.getStringClaim("client_id")).isEqualTo(apiClientId);
      assertThat(c.getClaim("scope")).isNull();
    }
  }
}
