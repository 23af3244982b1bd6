package dev.gatehouse.server.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A decrypted private key that signs JWS compact serializations (RFC 7515 §7.1).
 *
 * <p>Signing happens on the token endpoint's hot path, so this class avoids what a general JOSE
 * library does per call: it keeps a small pool of initialised {@link Signature} objects, each with
 * its own {@link SecureRandom} (the JDK's ECDSA otherwise draws from one lock-guarded generator),
 * and asks for ECDSA signatures directly in the JOSE r‖s encoding instead of transcoding DER.
 */
public final class SigningKey {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final String kid;
  private final KeyAlgorithm alg;
  private final PrivateKey privateKey;
  private final ArrayBlockingQueue<Signature> pool;

  public SigningKey(String kid, KeyAlgorithm alg, PrivateKey privateKey) {
    this.kid = kid;
    this.alg = alg;
    this.privateKey = privateKey;
    this.pool = new ArrayBlockingQueue<>(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
  }

  public String kid() {
    return kid;
  }

  public KeyAlgorithm alg() {
    return alg;
  }

  /**
   * Signs {@code payloadJson} under a protected header {@code {"alg","typ","kid"}} and returns
   * the compact serialization.
   */
  public String sign(String typ, byte[] payloadJson) {
    String header = "{\"alg\":\"" + alg.name() + "\",\"typ\":\"" + typ + "\",\"kid\":\"" + kid
        + "\"}";
    String signingInput = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + B64.encodeToString(payloadJson);
    byte[] signature = signRaw(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + B64.encodeToString(signature);
  }

  private byte[] signRaw(byte[] input) {
    Signature s = pool.poll();
    try {
      if (s == null) {
        s = Signature.getInstance(alg.jcaSignature());
        s.initSign(privateKey, new SecureRandom());
      }
      s.update(input);
      byte[] out = s.sign();
      pool.offer(s);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing with key " + kid + " failed", e);
    }
  }
}
