package dev.gatehouse.server.oauth;

import dev.gatehouse.server.keys.KeyAlgorithm;
import java.util.List;
import java.util.Set;

/**
 * A registered OAuth client of one tenant (RFC 6749 §2).
 *
 * @param secretHash keyed hash of the client secret; null for clients without one
 * @param jwks the client's public keys (a JWK Set document) for private_key_jwt; null otherwise
 * @param accessTokenAlg the JWS algorithm of its JWT access tokens
 * @param audience the {@code aud} of access tokens issued to it (RFC 9068 §2.2)
 * @param redirectUris absolute redirection endpoints, matched exactly (RFC 6749 §3.1.2)
 * @param postLogoutRedirectUris where RP-initiated logout may send the browser back to
 * @param backchannelLogoutUri where logout tokens are posted (Back-Channel Logout 1.0); or null
 * @param idTokenAlg the JWS algorithm of its ID tokens (RS256 unless registered otherwise)
 * @param frontchannelLogoutUri what the end-session page loads in an iframe (Front-Channel
 *     Logout 1.0 §2); or null
 * @param frontchannelLogoutSessionRequired whether the client asked for iss and sid on that URI
 * @param initiateLoginUri where the client starts a sign-in it is asked for (OIDC Core §4); or
 *     null
 */
public record Client(
    String tenantId,
    String clientId,
    String name,
    ClientType type,
    AuthMethod authMethod,
    String secretHash,
    Set<String> grantTypes,
    Set<String> scopes,
    TokenFormat tokenFormat,
    KeyAlgorithm accessTokenAlg,
    int accessTokenTtl,
    String jwks,
    List<String> audience,
    long createdAt,
    List<String> redirectUris,
    List<String> postLogoutRedirectUris,
    String backchannelLogoutUri,
    KeyAlgorithm idTokenAlg,
    String frontchannelLogoutUri,
    boolean frontchannelLogoutSessionRequired,
    String initiateLoginUri) {

  /** A client without front-channel logout or third-party-initiated login. */
  public Client(String tenantId, String clientId, String name, ClientType type,
      AuthMethod authMethod, String secretHash, Set<String> grantTypes, Set<String> scopes,
      TokenFormat tokenFormat, KeyAlgorithm accessTokenAlg, int accessTokenTtl, String jwks,
      List<String> audience, long createdAt, List<String> redirectUris,
      List<String> postLogoutRedirectUris, String backchannelLogoutUri, KeyAlgorithm idTokenAlg) {
    this(tenantId, clientId, name, type, authMethod, secretHash, grantTypes, scopes, tokenFormat,
        accessTokenAlg, accessTokenTtl, jwks, audience, createdAt, redirectUris,
        postLogoutRedirectUris, backchannelLogoutUri, idTokenAlg, null, false, null);
  }

  /** A client without browser-flow metadata (the client_credentials-only shape). */
  public Client(String tenantId, String clientId, String name, ClientType type,
      AuthMethod authMethod, String secretHash, Set<String> grantTypes, Set<String> scopes,
      TokenFormat tokenFormat, KeyAlgorithm accessTokenAlg, int accessTokenTtl, String jwks,
      List<String> audience, long createdAt) {
    this(tenantId, clientId, name, type, authMethod, secretHash, grantTypes, scopes, tokenFormat,
        accessTokenAlg, accessTokenTtl, jwks, audience, createdAt, List.of(), List.of(), null,
        KeyAlgorithm.RS256);
  }

  /** Confidential or public (RFC 6749 §2.1). */
  public enum ClientType {
    CONFIDENTIAL, PUBLIC;

    public String value() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Access token format: a JWT (RFC 9068) or an opaque reference looked up at introspection. */
  public enum TokenFormat {
    JWT, OPAQUE;

    public String value() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public boolean allowsGrant(String grantType) {
    return grantTypes.contains(grantType);
  }

  /**
   * Whether {@code uri} is one of this client's registered redirection endpoints. RFC 9700 §4.1.3
   * and OAuth 2.1 §4.1.1: compared as simple strings, no normalisation, no patterns.
   */
  public boolean hasRedirect(String uri) {
    return uri != null && redirectUris.contains(uri);
  }

  /**
   * Whether {@code uri} is registered for returning after RP-initiated logout (RP-Initiated Logout
   * 1.0 §2: "The value MUST have been previously registered with the OP"), compared as strings.
   */
  public boolean hasPostLogoutRedirect(String uri) {
    return uri != null && postLogoutRedirectUris.contains(uri);
  }
}
