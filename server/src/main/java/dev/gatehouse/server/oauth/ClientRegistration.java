package dev.gatehouse.server.oauth;

import java.util.List;

/**
 * What an administrator asks for when creating a client; nulls mean "the default".
 *
 * @param accessTokenAlg ES256 (default), RS256 or EdDSA
 * @param tokenEndpointAuthMethod one of {@link AuthMethod}'s values
 * @param jwks a JWK Set document with the client's public keys (private_key_jwt)
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
    List<String> audience) {}
