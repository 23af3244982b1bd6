package dev.gatehouse.server.oauth;

import java.util.List;

/**
 * What an administrator asks for when creating a client; nulls mean "the default".
 *
 * @param tokenEndpointAuthMethod one of {@link AuthMethod}'s values
 * @param jwks a JWK Set document with the client's public keys (private_key_jwt)
 */
public record ClientRegistration(
    String name,
    Boolean publicClient,
    List<String> grantTypes,
    List<String> scopes,
    String tokenFormat,
    Integer accessTokenTtl,
    String tokenEndpointAuthMethod,
    String jwks,
    List<String> audience) {}
