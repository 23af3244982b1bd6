package dev.gatehouse.server.keys;

/**
 * A signing key as stored: public JWK in the clear, private key (PKCS#8) sealed under the master
 * key with {@code tenant/kid} as associated data.
 */
public record StoredKey(
    String tenantId,
    String kid,
    KeyAlgorithm alg,
    KeyState state,
    String publicJwk,
    String privateKeyEnc,
    long createdAt,
    Long retiredAt,
    Long publishUntil) {}
