package dev.gatehouse.server.oauth;

import io.opentelemetry.context.Scope;
import io.opentelemetry.api.trace.Span;
import dev.gatehouse.server.observe.Spans;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.server.crypto.Base64Url;
import dev.gatehouse.server.crypto.SecretHasher;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates the client of a token, introspection or revocation request (RFC 6749 §2.3) by the
 * one method it registered: client_secret_basic, client_secret_post or private_key_jwt (RFC 7523
 * §2.2, OpenID Connect Core §9).
 *
 * <p>Every failure is the same {@code invalid_client} to the caller; the description says what to
 * fix without telling whether a client id exists. Wrong secrets and assertion signatures are
 * limited per client_id ({@link ClientAuthThrottle}); a locked client_id gets the same answer as a
 * wrong secret.
 */
public final class ClientAuthenticator {

  static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  private static final List<JWSAlgorithm> ASSERTION_ALGS = List.of(
      JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
      JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
      JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
  /** The algorithms a {@code private_key_jwt} assertion may use, as metadata advertises them. */
  public static final List<String> ASSERTION_ALG_NAMES =
      ASSERTION_ALGS.stream().map(JWSAlgorithm::getName).toList();
  /** Longest accepted lifetime of a client assertion, so that used jti values need not be kept long. */
  private static final long MAX_ASSERTION_LIFETIME = 600;
  private static final long CLOCK_SKEW = 60;

  private final ClientService clients;
  private final TokenStore tokens;
  private final SecretHasher hasher;
  private final Issuers issuers;
  private final Clock clock;
  private final ClientAuthThrottle throttle;

  public ClientAuthenticator(ClientService clients, TokenStore tokens, SecretHasher hasher,
      Issuers issuers, Clock clock, ClientAuthThrottle throttle) {
    this.throttle = throttle;
    this.clients = clients;
    this.tokens = tokens;
    this.hasher = hasher;
    this.issuers = issuers;
    this.clock = clock;
  }

  /**
   * The authenticated client of a request to {@code endpointUrl} at {@code tenantId}.
   *
   * @param form the request's form parameters
   * @param authorization the Authorization header, or null
   */
  public Client authenticate(String tenantId, Map<String, String> form, String authorization,
      String endpointUrl) {
    Span span = Spans.start("oauth.client_authentication");
    try (Scope scope = Spans.enter(span)) {
      Client client = authenticateUntraced(tenantId, form, authorization, endpointUrl);
      if (span.isRecording()) {
        span.setAttribute(AUTH_METHOD, client.authMethod().value());
      }
      return client;
    } catch (OAuthException e) {
      if (span.isRecording()) {
        span.setAttribute(OAUTH_ERROR, e.error());
      }
      throw Spans.failed(span, e);
    } catch (RuntimeException e) {
      throw Spans.failed(span, e);
    } finally {
      span.end();
    }
  }

  private static final io.opentelemetry.api.common.AttributeKey<String> AUTH_METHOD =
      Spans.key("gatehouse.oauth.auth_method");
  static final io.opentelemetry.api.common.AttributeKey<String> OAUTH_ERROR =
      Spans.key("gatehouse.oauth.error");

  private Client authenticateUntraced(String tenantId, Map<String, String> form,
      String authorization, String endpointUrl) {
    boolean basic = authorization != null && !authorization.isEmpty();
    boolean post = form.containsKey("client_secret");
    boolean jwt = form.containsKey("client_assertion") || form.containsKey("client_assertion_type");
    if ((basic ? 1 : 0) + (post ? 1 : 0) + (jwt ? 1 : 0) > 1) {
      // RFC 6749 §2.3: "The client MUST NOT use more than one authentication method in each request."
      throw OAuthException.invalidRequest("use exactly one client authentication method");
    }
    if (basic) {
      return basic(tenantId, form, authorization);
    }
    if (post) {
      return secret(tenantId, form.get("client_id"), form.get("client_secret"),
          AuthMethod.CLIENT_SECRET_POST);
    }
    if (jwt) {
      return assertion(tenantId, form, endpointUrl);
    }
    // A public client (auth method none) names itself with client_id (RFC 6749 §3.2.1); it may use
    // the token and revocation endpoints, never introspection (RFC 7662 §2.1 wants authentication).
    String publicId = form.get("client_id");
    if (publicId != null && !endpointUrl.endsWith("/introspect")) {
      Optional<Client> c = clients.find(tenantId, publicId);
      if (c.isPresent() && c.get().authMethod() == AuthMethod.NONE) {
        return c.get();
      }
    }
    throw OAuthException.invalidClient("client authentication is required");
  }

  private Client basic(String tenantId, Map<String, String> form, String authorization) {
    if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      throw OAuthException.invalidClient("the Authorization header must use the Basic scheme");
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
          StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw OAuthException.invalidClient("the Basic credentials are not valid base64");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw OAuthException.invalidClient("the Basic credentials must be client_id:client_secret");
    }
    // RFC 6749 §2.3.1: both parts are form-urlencoded before being joined and base64-encoded.
    String id;
    String secret;
    try {
      id = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
      secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw OAuthException.invalidClient("the Basic credentials are not form-urlencoded");
    }
    String formId = form.get("client_id");
    if (formId != null && !formId.equals(id)) {
      throw OAuthException.invalidClient("client_id does not match the Basic credentials");
    }
    return secret(tenantId, id, secret, AuthMethod.CLIENT_SECRET_BASIC);
  }

  private Client secret(String tenantId, String clientId, String secret, AuthMethod used) {
    if (clientId == null || clientId.isEmpty() || secret == null) {
      throw OAuthException.invalidClient("client_id and client_secret are required");
    }
    Optional<Client> client = clients.find(tenantId, clientId);
    // Hash even for unknown clients so that the answer time does not tell which ids exist.
    String hash = client.map(Client::secretHash).orElse(null);
    boolean ok = hasher.matches(secret, hash == null ? hasher.hash("") + "!" : hash);
    // Checked after hashing, so that a locked client_id is answered in the same time.
    if (throttle.locked(tenantId, clientId)) {
      throw OAuthException.invalidClient("client authentication failed");
    }
    if (client.isEmpty() || !ok) {
      throttle.failed(tenantId, clientId);
      throw OAuthException.invalidClient("client authentication failed");
    }
    if (client.get().authMethod() != used) {
      throw OAuthException.invalidClient("this client authenticates with "
          + client.get().authMethod().value() + ", not " + used.value());
    }
    return client.get();
  }

  private Client assertion(String tenantId, Map<String, String> form, String endpointUrl) {
    if (!JWT_BEARER.equals(form.get("client_assertion_type"))) {
      throw OAuthException.invalidClient("client_assertion_type must be " + JWT_BEARER);
    }
    String assertion = form.get("client_assertion");
    if (assertion == null || assertion.isEmpty()) {
      throw OAuthException.invalidClient("client_assertion is required");
    }
    // RFC 7515 §2: each part is unpadded base64url; a second spelling of a signed assertion
    // would be a second string for the same signature.
    if (!Base64Url.isCanonicalCompact(assertion)) {
      throw OAuthException.invalidClient("client_assertion is not a compact JWS in canonical"
          + " base64url (RFC 7515 §2: no padding)");
    }
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(assertion);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw OAuthException.invalidClient("client_assertion is not a signed JWT");
    }
    // RFC 7523 §3: iss and sub MUST be the client_id.
    String clientId = claims.getIssuer();
    if (clientId == null || !clientId.equals(claims.getSubject())) {
      throw OAuthException.invalidClient("client_assertion iss and sub must both be the client_id");
    }
    String formId = form.get("client_id");
    if (formId != null && !formId.equals(clientId)) {
      throw OAuthException.invalidClient("client_id does not match the client_assertion");
    }
    if (throttle.locked(tenantId, clientId)) {
      throw OAuthException.invalidClient("client authentication failed");
    }
    Client client = clients.find(tenantId, clientId)
        .filter(c -> c.authMethod() == AuthMethod.PRIVATE_KEY_JWT && c.jwks() != null)
        .orElseThrow(() -> OAuthException.invalidClient("client authentication failed"));
    if (!verifySignature(jwt, client)) {
      throttle.failed(tenantId, clientId);
      throw OAuthException.invalidClient("client_assertion signature does not verify with the"
          + " client's registered keys");
    }
    checkAudience(tenantId, claims.getAudience(), endpointUrl);
    long now = clock.instant().getEpochSecond();
    Date exp = claims.getExpirationTime();
    if (exp == null || exp.getTime() / 1000 + CLOCK_SKEW < now) {
      throw OAuthException.invalidClient("client_assertion has expired or has no exp");
    }
    if (exp.getTime() / 1000 - now > MAX_ASSERTION_LIFETIME) {
      throw OAuthException.invalidClient("client_assertion exp is more than "
          + MAX_ASSERTION_LIFETIME + " seconds ahead");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.getTime() / 1000 - CLOCK_SKEW > now) {
      throw OAuthException.invalidClient("client_assertion is not valid yet (nbf)");
    }
    String jti = claims.getJWTID();
    if (jti == null || jti.isEmpty() || jti.length() > 256) {
      throw OAuthException.invalidClient("client_assertion needs a jti (at most 256 characters)");
    }
    if (!tokens.useAssertionJti(tenantId, clientId, jti, exp.getTime() / 1000 + CLOCK_SKEW)) {
      throw OAuthException.invalidClient("client_assertion jti was already used");
    }
    return client;
  }

  private boolean verifySignature(SignedJWT jwt, Client client) {
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    if (!ASSERTION_ALGS.contains(alg)) {
      return false;
    }
    try {
      String kid = jwt.getHeader().getKeyID();
      for (JWK jwk : JWKSet.parse(client.jwks()).getKeys()) {
        // kid is a hint (RFC 7515 §4.1.4): it rules out keys with another kid, not keys without.
        if (kid != null && jwk.getKeyID() != null && !kid.equals(jwk.getKeyID())) {
          continue;
        }
        if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().equals(alg)) {
          continue;
        }
        if (!(jwk instanceof AsymmetricJWK asym)) {
          continue;
        }
        try {
          Key key = asym.toPublicKey();
          JWSVerifier verifier = new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(), key);
          if (jwt.verify(verifier)) {
            return true;
          }
        } catch (JOSEException e) {
          // Key of another type than the header's algorithm: try the next one.
        }
      }
    } catch (ParseException e) {
      return false;
    }
    return false;
  }

  private void checkAudience(String tenantId, List<String> audience, String endpointUrl) {
    // RFC 7523 §3: aud identifies the authorization server; the issuer, the token endpoint URL
    // (OpenID Connect Core §9) or the endpoint called are accepted.
    // Not Set.of: at the token endpoint, endpointUrl equals the token endpoint URL.
    Set<String> accepted = new java.util.HashSet<>(List.of(issuers.issuer(tenantId),
        issuers.tokenEndpoint(tenantId), endpointUrl));
    if (audience == null || audience.stream().noneMatch(accepted::contains)) {
      throw OAuthException.invalidClient("client_assertion aud must be the issuer or the token"
          + " endpoint URL, `" + issuers.tokenEndpoint(tenantId) + "`");
    }
  }
}
