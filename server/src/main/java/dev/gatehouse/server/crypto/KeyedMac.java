package dev.gatehouse.server.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An HMAC-SHA-256 keyed once and copied per call: a clone copies the inner and outer digest states
 * already primed with the key, skipping the provider lookup and key set-up of
 * {@code Mac.getInstance} + {@code init} on paths that run per request.
 */
final class KeyedMac {

  private final Mac prototype;

  KeyedMac(byte[] key) {
    try {
      this.prototype = Mac.getInstance("HmacSHA256");
      prototype.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh MAC under the key, ready for input. */
  Mac fresh() {
    try {
      return (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("HmacSHA256 of " + prototype.getProvider() + " cannot be"
          + " cloned", e);
    }
  }
}
