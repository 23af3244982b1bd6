package dev.gatehouse.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Issuer;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.io.InputStream;
import java.net.URI;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 8414 (authorization server metadata), OpenID Connect Discovery 1.0 §4 and the JWKS
 * (RFC 7517 §5), parsed with Nimbus as a client would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("RFC 8414 authorization server metadata")
class Rfc8414MetadataTest {

  private static final List<String> WELL_KNOWN = List.of(
      "/t/acme/.well-known/openid-configuration",
      "/.well-known/oauth-authorization-server/t/acme",
      "/t/acme/.well-known/oauth-authorization-server");

  private TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("acme");
    server.createTenant("globex");
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private AuthorizationServerMetadata parse(String path) throws Exception {
    TestServer.Response r = server.get(path);
    assertThat(r.status()).as("%s %s", path, r).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    return AuthorizationServerMetadata.parse(r.text());
  }

  @Nested
  @DisplayName("RFC 8414 §3 obtaining authorization server metadata")
  class Obtaining {

    @ParameterizedTest
    @ValueSource(strings = {
        "/t/acme/.well-known/openid-configuration",
        "/.well-known/oauth-authorization-server/t/acme",
        "/t/acme/.well-known/oauth-authorization-server"})
    @DisplayName("§3.3: \"The issuer value returned MUST be identical to the authorization server's"
        + " issuer identifier value into which the well-known URI string was inserted\"")
    void metadataWhenFetchedAtAnyWellKnownFormThenIssuerIsTheTenantIssuer(String path)
        throws Exception {
      AuthorizationServerMetadata m = parse(path);
      assertThat(m.getIssuer()).isEqualTo(new Issuer(server.issuer("acme")));
    }

    @Test
    @DisplayName("§3.1: \"the well-known URI suffix ... is inserted between the host component"
        + " and the path component\"")
    void metadataWhenFetchedInEveryFormThenTheDocumentsAreEqual() {
      JsonNode first = server.get(WELL_KNOWN.get(0)).json();
      for (String path : WELL_KNOWN) {
        assertThat(server.get(path).json()).as(path).isEqualTo(first);
      }
    }

    @Test
    void metadataWhenResolvedByNimbusThenEndpointsAreUnderTheIssuer() throws Exception {
      AuthorizationServerMetadata m = AuthorizationServerMetadata.resolve(
          new Issuer(server.issuer("acme")));
      String issuer = server.issuer("acme");
      assertThat(m.getTokenEndpointURI()).isEqualTo(URI.create(issuer + "/oauth2/token"));
      assertThat(m.getJWKSetURI()).isEqualTo(URI.create(issuer + "/jwks"));
      assertThat(m.getIntrospectionEndpointURI())
          .isEqualTo(URI.create(issuer + "/oauth2/introspect"));
      assertThat(m.getRevocationEndpointURI()).isEqualTo(URI.create(issuer + "/oauth2/revoke"));
      assertThat(m.getGrantTypes()).containsExactlyInAnyOrder(GrantType.AUTHORIZATION_CODE,
          GrantType.CLIENT_CREDENTIALS, GrantType.REFRESH_TOKEN);
      assertThat(m.getTokenEndpointAuthMethods()).contains(
          ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
          ClientAuthenticationMethod.CLIENT_SECRET_POST,
          ClientAuthenticationMethod.PRIVATE_KEY_JWT);
    }

    @Test
    void metadataWhenEndpointsAdvertisedThenEachAnswers() throws Exception {
      AuthorizationServerMetadata m = parse(WELL_KNOWN.get(0));
      for (URI endpoint : List.of(m.getTokenEndpointURI(), m.getIntrospectionEndpointURI(),
          m.getRevocationEndpointURI())) {
        TestServer.Response r = server.postForm(endpoint.getPath(), "", null);
        // No client authentication: a 4xx OAuth error proves the endpoint exists.
        assertThat(r.status()).as("%s", endpoint).isIn(400, 401);
        assertThat(r.json().has("error")).isTrue();
      }
      assertThat(server.get(m.getJWKSetURI().getPath()).status()).isEqualTo(200);
    }

    @Test
    @DisplayName("OpenID Connect Discovery 1.0 §4: the openid-configuration document parses as"
        + " OpenID Provider metadata")
    void metadataWhenParsedAsOpenIdProviderMetadataThenIssuerMatches() throws Exception {
      com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata m =
          com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata.parse(
              server.get("/t/acme/.well-known/openid-configuration").text());
      assertThat(m.getIssuer()).isEqualTo(new Issuer(server.issuer("acme")));
    }

    @Test
    @DisplayName("RFC 8414 §2: each endpoint advertises exactly the client authentication methods"
        + " it accepts; a public client revokes (RFC 7009 §2.1) but never introspects")
    void metadataWhenPublicClientMayRevokeThenNoneIsAdvertisedForRevocationOnly() throws Exception {
      JsonNode spa = server.createClient("acme", Map.of("name", "spa-" + System.nanoTime(),
          "public", true, "grant_types", List.of("authorization_code", "refresh_token"),
          "redirect_uris", List.of("https://spa.example/cb")));
      String id = spa.get("client_id").asText();
      AuthorizationServerMetadata m = parse(WELL_KNOWN.get(0));
      TestServer.Response revoke = server.postForm(m.getRevocationEndpointURI().getPath(),
          "token=unknown&client_id=" + id, null);
      assertThat(revoke.status()).as("%s", revoke).isEqualTo(200);
      assertThat(m.getRevocationEndpointAuthMethods()).contains(ClientAuthenticationMethod.NONE);
      TestServer.Response introspect = server.postForm(
          m.getIntrospectionEndpointURI().getPath(), "token=unknown&client_id=" + id, null);
      assertThat(introspect.status()).as("%s", introspect).isEqualTo(401);
      assertThat(m.getIntrospectionEndpointAuthMethods())
          .doesNotContain(ClientAuthenticationMethod.NONE);
      assertThat(m.getTokenEndpointAuthMethods()).contains(ClientAuthenticationMethod.NONE);
    }

    @Test
    void metadataWhenTwoTenantsThenEachHasItsOwnIssuer() throws Exception {
      assertThat(parse("/.well-known/oauth-authorization-server/t/globex").getIssuer())
          .isEqualTo(new Issuer(server.issuer("globex")));
    }

    @Test
    void metadataWhenTenantUnknownThen404Json() {
      for (String path : List.of("/t/nobody/.well-known/openid-configuration",
          "/.well-known/oauth-authorization-server/t/nobody", "/t/nobody/jwks")) {
        TestServer.Response r = server.get(path);
        assertThat(r.status()).as(path).isEqualTo(404);
        assertThat(r.json().get("error").asText()).isEqualTo("not_found");
      }
    }

    @Test
    @DisplayName("golden file: the metadata document, issuer normalised")
    void metadataWhenFetchedThenMatchesGoldenFile() throws Exception {
      String actual = server.get(WELL_KNOWN.get(0)).text()
          .replace(server.issuer("acme"), "{issuer}");
      String golden;
      try (InputStream in = getClass().getResourceAsStream("/golden/openid-configuration.json")) {
        assertThat(in).as("golden/openid-configuration.json").isNotNull();
        golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      JsonNode expected = TestServer.JSON.readTree(golden);
      JsonNode got = TestServer.JSON.readTree(actual);
      assertThat(got).isEqualTo(expected);
      // Same field order too, so that a diff of the document stays readable.
      assertThat(names(got)).containsExactlyElementsOf(names(expected));
    }

    private static List<String> names(JsonNode node) {
      List<String> out = new java.util.ArrayList<>();
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        out.add(it.next());
      }
      return out;
    }
  }

  @Nested
  @DisplayName("RFC 7517 §5 JWK Set at jwks_uri")
  class Jwks {

    @Test
    @DisplayName("RFC 7517 §8.5: media type application/jwk-set+json")
    void jwksWhenFetchedThenJwkSetMediaType() {
      assertThat(server.get("/t/acme/jwks").header("Content-Type"))
          .startsWith("application/jwk-set+json");
    }

    @Test
    @DisplayName("RFC 8414 §2 jwks_uri: \"contains the signing key(s) the client uses to validate"
        + " signatures\" (public keys only: no d, p, q, dp, dq, qi, oth, k)")
    void jwksWhenFetchedThenOnlyPublicKeys() throws Exception {
      TestServer.Response r = server.get("/t/acme/jwks");
      JsonNode doc = r.json();
      for (JsonNode key : doc.get("keys")) {
        for (String member : List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k")) {
          assertThat(key.has(member)).as("private member %s in %s", member, key).isFalse();
        }
      }
      JWKSet set = JWKSet.parse(r.text());
      assertThat(set.getKeys()).isNotEmpty();
      for (JWK k : set.getKeys()) {
        assertThat(k.isPrivate()).isFalse();
        assertThat(k.getKeyID()).isNotBlank();
      }
    }

    @Test
    void jwksWhenFetchedThenActiveAndNextEs256AndRs256KeysWithDistinctKids() throws Exception {
      // ES256 signs access tokens by default, RS256 ID tokens: both published from the start.
      JWKSet set = JWKSet.parse(server.get("/t/acme/jwks").text());
      assertThat(set.getKeys()).hasSize(4);
      assertThat(set.getKeys()).filteredOn(k -> k instanceof ECKey).hasSize(2);
      assertThat(set.getKeys()).filteredOn(k -> k instanceof com.nimbusds.jose.jwk.RSAKey)
          .hasSize(2);
      assertThat(set.getKeys().stream().map(JWK::getKeyID).distinct()).hasSize(4);
    }

    @Test
    void jwksWhenTwoTenantsThenNoKeyIsShared() throws Exception {
      List<String> acme = JWKSet.parse(server.get("/t/acme/jwks").text()).getKeys().stream()
          .map(JWK::getKeyID).toList();
      List<String> globex = JWKSet.parse(server.get("/t/globex/jwks").text()).getKeys().stream()
          .map(JWK::getKeyID).toList();
      assertThat(acme).doesNotContainAnyElementsOf(globex);
    }

    @Test
    void jwksWhenFetchedThenCacheableSinceNextKeyIsPrePublished() {
      assertThat(server.get("/t/acme/jwks").header("Cache-Control")).contains("max-age");
    }
  }
}
