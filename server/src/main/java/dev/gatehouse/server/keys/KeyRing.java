package dev.gatehouse.server.keys;

import java.util.List;
import java.util.Map;

/**
 * A tenant's keys as the server uses them: the active signing key per algorithm, every published
 * key by kid, and the JWKS document, rendered once.
 */
record KeyRing(
    Map<KeyAlgorithm, SigningKey> active,
    Map<String, VerificationKey> published,
    byte[] jwks,
    List<StoredKey> stored) {}
