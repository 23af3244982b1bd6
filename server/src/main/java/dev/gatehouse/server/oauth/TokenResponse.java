package dev.gatehouse.server.oauth;

import java.util.Map;

/**
 * A grant's answer: the token response body (RFC 6749 §5.1) and the reference of its access token
 * ({@code jwt:<jti>:<exp>} or {@code opaque:<hash>}, see {@link AccessTokenService#reference}),
 * which the grant already knows, so that what follows (the {@code token.issued} event, revoking the
 * token on a code replay) never parses or hashes the token again.
 */
public record TokenResponse(Map<String, Object> body, String accessTokenRef) {}
