package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The first use case end to end, driven by a real OAuth client library (Nimbus oauth2-oidc-sdk):
 * a service gets a token with client_credentials, a resource server checks it offline through the
 * JWKS and by introspection, and an admin revokes it. Runs once per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MachineToMachineFlowContract {

  private TestServer server;
  private ClientSecretBasic service;
  private ClientSecretBasic resourceServer;

  abstract TestDatabase database();

  @BeforeAll
  void start() {
    server = TestServer.start(database());
    server.createTenant("acme");
    // As in the README: the API first, then a service whose tokens are for it (their audience),
    // so that the API may introspect them (RFC 7662 §4).
    resourceServer = credentials(server.createClient("acme", Map.of("name", "api")));
    service = credentials(server.createClient("acme",
        Map.of("name", "billing", "scope", "invoices.read invoices.write",
            "audience", forApi())));
  }

  private List<String> forApi() {
    return List.of(resourceServer.getClientID().getValue());
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void serviceGetsTokenThatVerifiesOfflineAndByIntrospectionUntilRevoked() throws Exception {
    AuthorizationServerMetadata metadata = AuthorizationServerMetadata.resolve(
        new Issuer(server.issuer("acme")));
    assertThat(metadata.getTokenEndpointURI().toString())
        .isEqualTo(server.issuer("acme") + "/oauth2/token");

    AccessToken token = clientCredentials(metadata.getTokenEndpointURI(), service,
        new Scope("invoices.read"));

    // Offline: the resource server checks the JWT with the published JWKS only.
    JWKSet jwks = JWKSet.load(metadata.getJWKSetURI().toURL());
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
        new ImmutableJWKSet<>(jwks)));
    JWTClaimsSet claims = processor.process(token.getValue(), null);
    assertThat(claims.getIssuer()).isEqualTo(server.issuer("acme"));
    assertThat(claims.getStringClaim("client_id")).isEqualTo(service.getClientID().getValue());
    assertThat(claims.getSubject()).isEqualTo(service.getClientID().getValue());
    assertThat(claims.getStringClaim("scope")).isEqualTo("invoices.read");
    assertThat(claims.getAudience()).containsExactly(resourceServer.getClientID().getValue());
    assertThat(claims.getJWTID()).isNotBlank();

    // Online: introspection says active, with the same facts.
    TokenIntrospectionSuccessResponse active = introspect(metadata, token);
    assertThat(active.isActive()).isTrue();
    assertThat(active.getClientID().getValue()).isEqualTo(service.getClientID().getValue());
    assertThat(active.getScope()).isEqualTo(new Scope("invoices.read"));

    // An admin revokes it; introspection answers inactive at once.
    TestServer.Response revoked = server.admin("POST", "/admin/v1/tenants/acme/tokens/revoke",
        Map.of("token", token.getValue()));
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.json().get("revoked").asBoolean()).isTrue();
    assertThat(introspect(metadata, token).isActive()).isFalse();
  }

  @Test
  void opaqueTokenIsActiveUntilTheClientRevokesIt() throws Exception {
    ClientSecretBasic opaque = credentials(server.createClient("acme",
        Map.of("name", "legacy", "scope", "reports", "token_format", "opaque",
            "audience", forApi())));
    AuthorizationServerMetadata metadata = AuthorizationServerMetadata.resolve(
        new Issuer(server.issuer("acme")));
    AccessToken token = clientCredentials(metadata.getTokenEndpointURI(), opaque, null);
    assertThat(token.getValue()).doesNotContain(".");
    assertThat(introspect(metadata, token).isActive()).isTrue();

    var response = new TokenRevocationRequest(metadata.getRevocationEndpointURI(), opaque, token)
        .toHTTPRequest().send();
    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(introspect(metadata, token).isActive()).isFalse();
  }

  @Test
  void tokenOfOneTenantIsInactiveAtAnother() throws Exception {
    server.createTenant("globex");
    ClientSecretBasic globexApi = credentials(server.createClient("globex", Map.of("name", "api")));
    AccessToken acmeToken = clientCredentials(URI.create(server.issuer("acme") + "/oauth2/token"),
        service, null);
    TokenIntrospectionResponse atGlobex = TokenIntrospectionResponse.parse(
        new TokenIntrospectionRequest(URI.create(server.issuer("globex") + "/oauth2/introspect"),
            globexApi, acmeToken).toHTTPRequest().send());
    assertThat(atGlobex.toSuccessResponse().isActive()).isFalse();
  }

  @Test
  void rotationKeepsOldTokensVerifiableAndSignsNewOnesWithThePrePublishedKey() throws Exception {
    URI tokenEndpoint = URI.create(server.issuer("acme") + "/oauth2/token");
    URL jwksUrl = URI.create(server.issuer("acme") + "/jwks").toURL();
    AccessToken before = clientCredentials(tokenEndpoint, service, null);
    String oldKid = SignedJWT.parse(before.getValue()).getHeader().getKeyID();
    List<String> publishedBefore = es256Kids(jwksUrl);
    assertThat(publishedBefore).hasSize(2).contains(oldKid);
    String nextKid = publishedBefore.stream().filter(k -> !k.equals(oldKid)).findFirst()
        .orElseThrow();

    JsonNode rotated = server.admin("POST", "/admin/v1/tenants/acme/keys/rotate", null).json();
    assertThat(rotated.get("active_kid").asText()).isEqualTo(nextKid);

    AccessToken after = clientCredentials(tokenEndpoint, service, null);
    assertThat(SignedJWT.parse(after.getValue()).getHeader().getKeyID()).isEqualTo(nextKid);
    List<String> publishedAfter = es256Kids(jwksUrl);
    assertThat(publishedAfter).hasSize(3).contains(oldKid, nextKid);
    AuthorizationServerMetadata metadata = AuthorizationServerMetadata.resolve(
        new Issuer(server.issuer("acme")));
    assertThat(introspect(metadata, before).isActive()).isTrue();
    assertThat(introspect(metadata, after).isActive()).isTrue();
  }

  @Test
  void clientMayAskForRs256OrEdDsaAccessTokensPublishedInTheJwks() throws Exception {
    URI tokenEndpoint = URI.create(server.issuer("acme") + "/oauth2/token");
    for (String alg : List.of("RS256", "EdDSA")) {
      ClientSecretBasic client = credentials(server.createClient("acme",
          Map.of("name", "uses-" + alg, "access_token_alg", alg, "audience", forApi())));
      SignedJWT jwt = SignedJWT.parse(clientCredentials(tokenEndpoint, client, null).getValue());
      assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo(alg);
      com.nimbusds.jose.jwk.JWK key = JWKSet.load(URI.create(server.issuer("acme") + "/jwks")
          .toURL()).getKeyByKeyId(jwt.getHeader().getKeyID());
      assertThat(key).as("%s key in JWKS", alg).isNotNull();
      assertThat(key.isPrivate()).isFalse();
      if (alg.equals("RS256")) {
        assertThat(jwt.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(key.toRSAKey()))).isTrue();
      } else {
        // Ed25519 checked with the JDK alone: SubjectPublicKeyInfo prefix (RFC 8410) + x.
        byte[] x = key.toOctetKeyPair().getX().decode();
        byte[] spki = java.util.HexFormat.of().parseHex("302a300506032b6570032100");
        byte[] encoded = java.util.Arrays.copyOf(spki, spki.length + x.length);
        System.arraycopy(x, 0, encoded, spki.length, x.length);
        java.security.Signature verifier = java.security.Signature.getInstance("Ed25519");
        verifier.initVerify(java.security.KeyFactory.getInstance("Ed25519")
            .generatePublic(new java.security.spec.X509EncodedKeySpec(encoded)));
        verifier.update(jwt.getSigningInput());
        assertThat(verifier.verify(jwt.getSignature().decode())).isTrue();
      }
      AuthorizationServerMetadata metadata = AuthorizationServerMetadata.resolve(
          new Issuer(server.issuer("acme")));
      assertThat(introspect(metadata, new BearerAccessToken(jwt.serialize())).isActive()).isTrue();
    }
  }

  private TokenIntrospectionSuccessResponse introspect(AuthorizationServerMetadata metadata,
      AccessToken token) throws Exception {
    return TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
        metadata.getIntrospectionEndpointURI(), resourceServer, token).toHTTPRequest().send())
        .toSuccessResponse();
  }

  /** Kids of the ES256 keys: other tests of this class may add keys of other algorithms. */
  private static List<String> es256Kids(URL jwksUrl) throws Exception {
    return JWKSet.load(jwksUrl).getKeys().stream()
        .filter(k -> JWSAlgorithm.ES256.equals(k.getAlgorithm()))
        .map(k -> k.getKeyID()).toList();
  }

  static AccessToken clientCredentials(URI endpoint, ClientSecretBasic auth, Scope scope)
      throws Exception {
    TokenResponse response = TokenResponse.parse(new TokenRequest(endpoint, auth,
        new ClientCredentialsGrant(), scope).toHTTPRequest().send());
    assertThat(response.indicatesSuccess())
        .as("token response %s", response.indicatesSuccess() ? "" : response.toErrorResponse()
            .getErrorObject())
        .isTrue();
    AccessToken token = ((AccessTokenResponse) response).getTokens().getAccessToken();
    assertThat(token).isInstanceOf(BearerAccessToken.class);
    return token;
  }

  static ClientSecretBasic credentials(JsonNode client) {
    return new ClientSecretBasic(new ClientID(client.get("client_id").asText()),
        new Secret(client.get("client_secret").asText()));
  }
}
