package dev.gatehouse.server.keys;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/**
 * A published public key that checks signatures made by one of the tenant's signing keys.
 *
 * @param nativeKey the same key for BoringSSL ({@link NativeEs256}), which verifies ES256
 *     signatures for a sixth of the JDK's CPU; null for other algorithms or without BoringSSL
 */
public record VerificationKey(String kid, KeyAlgorithm alg, PublicKey publicKey,
    PublicKey nativeKey) {

  /** {@code publicKey} of {@code alg}, with its BoringSSL form when that verifies it. */
  public VerificationKey(String kid, KeyAlgorithm alg, PublicKey publicKey) {
    this(kid, alg, publicKey, alg == KeyAlgorithm.ES256 ? NativeEs256.publicKey(publicKey) : null);
  }

  /** Whether {@code signature} over {@code signingInput} is valid under this key. */
  public boolean verify(byte[] signingInput, byte[] signature) {
    if (nativeKey != null) {
      return NativeEs256.verify(nativeKey, signingInput, signature);
    }
    try {
      Signature s = Signature.getInstance(alg.jcaSignature());
      s.initVerify(publicKey);
      s.update(signingInput);
      return s.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}
