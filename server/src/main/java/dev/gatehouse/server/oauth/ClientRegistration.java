package dev.gatehouse.server.oauth;

import java.util.List;

/**
 * What an administrator asks for when creating a client; nulls mean "the default".
 *
 * @param accessTokenAlg ES256 (default), RS256 or EdDSA
 * @param tokenEndpointAuthMethod one of {@link AuthMethod}'s values
 * @param jwks a JWK Set document with the client's public keys (private_key_jwt)
 * @param redirectUris redirection endpoints (authorization_code)
 * @param idTokenAlg RS256 (default), ES256 or EdDSA
 * @param frontchannelLogoutUri Front-Channel Logout 1.0 §2
 * @param frontchannelLogoutSessionRequired Front-Channel Logout 1.0 §2 (default false)
 * @param initiateLoginUri OIDC Core §4, OIDC Registration §2
 */
public record ClientRegistration(
    String name,
    Boolean publicClient,
    List<String> grantTypes,
    List<String> scopes,
    String tokenFormat,
    String accessTokenAlg,
    Integer accessTokenTtl,
    String tokenEndpointAuthMethod,
    String jwks,
    List<String> audience,
    List<String> redirectUris,
    List<String> postLogoutRedirectUris,
    String backchannelLogoutUri,
    String idTokenAlg,
    String frontchannelLogoutUri,
    Boolean frontchannelLogoutSessionRequired,
    String initiateLoginUri) {

  /** A registration without front-channel logout or third-party-initiated login. */
  public ClientRegistration(String name, Boolean publicClient, List<String> grantTypes,
      List<String> scopes, String tokenFormat, String accessTokenAlg, Integer accessTokenTtl,
      String tokenEndpointAuthMethod, String jwks, List<String> audience,
      List<String> redirectUris, List<String> postLogoutRedirectUris,
      String backchannelLogoutUri, String idTokenAlg) {
    this(name, publicClient, grantTypes, scopes, tokenFormat, accessTokenAlg, accessTokenTtl,
        tokenEndpointAuthMethod, jwks, audience, redirectUris, postLogoutRedirectUris,
        backchannelLogoutUri, idTokenAlg, null, null, null);
  }

  /** A registration without browser-flow metadata. */
  public ClientRegistration(String name, Boolean publicClient, List<String> grantTypes,
      List<String> scopes, String tokenFormat, String accessTokenAlg, Integer accessTokenTtl,
      String tokenEndpointAuthMethod, String jwks, List<String> audience) {
    this(name, publicClient, grantTypes, scopes, tokenFormat, accessTokenAlg, accessTokenTtl,
        tokenEndpointAuthMethod, jwks, audience, null, null, null, null);
  }
}
