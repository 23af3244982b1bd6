package dev.gatehouse.server.keys;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/** A published public key that checks signatures made by one of the tenant's signing keys. */
public record VerificationKey(String kid, KeyAlgorithm alg, PublicKey publicKey) {

  /** Whether {@code signature} over {@code signingInput} is valid under this key. */
  public boolean verify(byte[] signingInput, byte[] signature) {
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
