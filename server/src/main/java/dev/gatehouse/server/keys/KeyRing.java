package dev.gatehouse.server.keys;

import java.util.List;
import java.util.Map;

/**
 * A tenant's public keys as the server uses them: every published key by kid, the JWKS document,
 * rendered once, and the stored rows without their sealed private keys.
 */
record KeyRing(
    Map<String, VerificationKey> published,
    byte[] jwks,
    List<StoredKey> stored) {

  /** Roughly what this ring holds on the heap, in bytes: the weight of a cached ring. */
  int estimatedBytes() {
    int bytes = 256 + 2 * jwks.length;
    for (StoredKey k : stored) {
      bytes += 400 + k.publicJwk().length() + (k.alg() == KeyAlgorithm.RS256 ? 800 : 300);
    }
    return bytes;
  }
}
