package dev.gatehouse.server.keys;

import io.opentelemetry.api.trace.Span;
import dev.gatehouse.server.observe.Spans;
import dev.gatehouse.server.crypto.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A decrypted private key that signs JWS compact serializations (RFC 7515 §7.1).
 *
 * <p>Signing happens on the token endpoint's hot path, so this class avoids what a general JOSE
 * library does per call: it keeps a small pool of initialised {@link Signature} objects, each with
 * its own {@link SecureRandom} (a DRBG: {@code new SecureRandom()} would be NativePRNG, whose
 * instances share one lock-guarded generator), asks for ECDSA signatures directly in the JOSE r‖s
 * encoding instead of transcoding DER, and encodes the protected header once per {@code typ}.
 */
public final class SigningKey {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final String kid;
  private final KeyAlgorithm alg;
  private final PrivateKey privateKey;
  private final ArrayBlockingQueue<Signature> pool;
  /** typ → base64url of the protected header followed by '.'. */
  private final ConcurrentHashMap<String, String> headers = new ConcurrentHashMap<>();

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
    String header = headers.computeIfAbsent(typ, this::encodedHeader);
    String signingInput = header + B64.encodeToString(payloadJson);
    Span span = Spans.start("jwt.sign");
    byte[] signature;
    try {
      if (span.isRecording()) {
        span.setAttribute(ALG, alg.name());
        span.setAttribute(TYP, typ);
      }
      signature = signRaw(signingInput.getBytes(StandardCharsets.US_ASCII));
    } catch (RuntimeException e) {
      throw Spans.failed(span, e);
    } finally {
      span.end();
    }
    return signingInput + "." + B64.encodeToString(signature);
  }

  private static final io.opentelemetry.api.common.AttributeKey<String> ALG =
      Spans.key("gatehouse.jwt.alg");
  private static final io.opentelemetry.api.common.AttributeKey<String> TYP =
      Spans.key("gatehouse.jwt.typ");

  private String encodedHeader(String typ) {
    String header = "{\"alg\":\"" + alg.name() + "\",\"typ\":\"" + typ + "\",\"kid\":\"" + kid
        + "\"}";
    return B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + ".";
  }

  private byte[] signRaw(byte[] input) {
    Signature s = pool.poll();
    try {
      if (s == null) {
        s = Signature.getInstance(alg.jcaSignature());
        s.initSign(privateKey, Secrets.newDrbg());
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
