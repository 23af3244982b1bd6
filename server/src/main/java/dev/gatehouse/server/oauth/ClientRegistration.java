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
    String idTokenAlg) {

  /** A registration without browser-flow metadata. */
  public ClientRegistration(String name, Boolean publicClient, List<String> grantTypes,
      List<String> scopes, String tokenFormat, String accessTokenAlg, Integer accessTokenTtl,
      String tokenEndpointAuthMethod, String jwks, List<String> audience) {
    this(name, publicClient, grantTypes, scopes, tokenFormat, accessTokenAlg, accessTokenTtl,
        tokenEndpointAuthMethod, jwks, audience, null, null, null, null);
  }
}
