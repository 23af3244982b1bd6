package dev.gatehouse.server.oauth;

import java.util.List;
import java.util.Set;

/**
 * What the server knows of an active access token: the content of an introspection answer, and
 * the claims the UserInfo endpoint returns beyond the scope's ({@code userinfoClaims}, OIDC Core
 * §5.5).
 */
public record TokenInfo(
    String tenantId,
    String issuer,
    String clientId,
    String subject,
    Set<String> scope,
    List<String> audience,
    long issuedAt,
    long expiresAt,
    String jti,
    boolean jwt,
    Set<String> userinfoClaims) {}
