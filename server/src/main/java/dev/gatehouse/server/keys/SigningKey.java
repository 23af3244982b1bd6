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
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A decrypted private key that signs JWS compact serializations (RFC 7515 §7.1).
 *
 * <p>Signing happens on the token endpoint's hot path, and one node may hold the keys of many
 * tenants, so this class is small and avoids what a general JOSE library does per call. The
 * {@link Signature} objects are pooled per algorithm, not per key (a pooled object per key and
 * thread would cost kilobytes per tenant): each is initialised with this key for one signature,
 * with its own {@link SecureRandom} (a DRBG: {@code new SecureRandom()} would be NativePRNG, whose
 * instances share one lock-guarded generator). ECDSA signatures come directly in the JOSE r‖s
 * encoding instead of DER, and the protected header is encoded once per {@code typ}.
 */
public final class SigningKey {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final int POOL_SIZE = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
  private static final Map<KeyAlgorithm, ArrayBlockingQueue<Signer>> POOLS =
      new EnumMap<>(KeyAlgorithm.class);

  /** ES256 signature objects of BoringSSL ({@link NativeEs256}), when it signs. */
  private static final ArrayBlockingQueue<Signer> NATIVE_ES256 = new ArrayBlockingQueue<>(POOL_SIZE);

  static {
    for (KeyAlgorithm alg : KeyAlgorithm.values()) {
      POOLS.put(alg, new ArrayBlockingQueue<>(POOL_SIZE));
    }
  }

  /** A JCA signature object with the random source it is always initialised with. */
  private record Signer(Signature signature, SecureRandom random) {}

  private final String kid;
  private final KeyAlgorithm alg;
  private final PrivateKey privateKey;
  /** Whether BoringSSL signs (an ES256 key where it loaded): DER out, converted to r‖s. */
  private final boolean nativeEs256;
  /** typ → base64url of the protected header followed by '.'; replaced, never mutated. */
  private volatile Map<String, String> headers = Map.of();

  public SigningKey(String kid, KeyAlgorithm alg, PrivateKey privateKey) {
    this.kid = kid;
    this.alg = alg;
    this.nativeEs256 = alg == KeyAlgorithm.ES256 && NativeEs256.available();
    this.privateKey = nativeEs256 ? NativeEs256.privateKey(privateKey.getEncoded()) : privateKey;
  }

  public String kid() {
    return kid;
  }

  public KeyAlgorithm alg() {
    return alg;
  }

  /** Roughly the memory this key holds, in bytes: the weight of a cached key. */
  int estimatedBytes() {
    if (nativeEs256) {
      return 1_000; // ~300 bytes of heap and BoringSSL's EVP_PKEY outside it
    }
    return switch (alg) {
      case RS256 -> 3_000;
      case ES256, EdDSA -> 700;
    };
  }

  /**
   * Signs {@code payloadJson} under a protected header {@code {"alg","typ","kid"}} and returns
   * the compact serialization.
   */
  public String sign(String typ, byte[] payloadJson) {
    String header = header(typ);
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

  private String header(String typ) {
    Map<String, String> known = headers;
    String header = known.get(typ);
    if (header == null) {
      String json = "{\"alg\":\"" + alg.name() + "\",\"typ\":\"" + typ + "\",\"kid\":\"" + kid
          + "\"}";
      header = B64.encodeToString(json.getBytes(StandardCharsets.UTF_8)) + ".";
      Map<String, String> grown = new java.util.HashMap<>(known);
      grown.put(typ, header);
      headers = Map.copyOf(grown);
    }
    return header;
  }

  private byte[] signRaw(byte[] input) {
    ArrayBlockingQueue<Signer> pool = nativeEs256 ? NATIVE_ES256 : POOLS.get(alg);
    Signer s = pool.poll();
    try {
      if (s == null) {
        // BoringSSL draws its nonces itself (hedged with the key and digest): no Java random.
        s = nativeEs256 ? new Signer(NativeEs256.newSignature(), null)
            : new Signer(Signature.getInstance(alg.jcaSignature()), Secrets.newDrbg());
      }
      if (nativeEs256) {
        s.signature().initSign(privateKey);
      } else {
        s.signature().initSign(privateKey, s.random());
      }
      s.signature().update(input);
      byte[] out = s.signature().sign();
      pool.offer(s);
      return nativeEs256 ? NativeEs256.toJose(out) : out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing with key " + kid + " failed", e);
    }
  }
}
