package dev.gatehouse.server.session;

import java.util.List;

/**
 * A single sign-on session of one user at one tenant (OpenID Connect Core §2: auth_time, amr,
 * acr; Front/Back-Channel Logout: sid).
 *
 * @param sid the public session id: the ID token's {@code sid}, and the admin API's handle
 * @param amr authentication methods used, e.g. {@code pwd} (RFC 8176)
 */
public record Session(String tenantId, String sid, String userId, long authTime,
    List<String> amr, String acr, long createdAt, long expiresAt) {}
