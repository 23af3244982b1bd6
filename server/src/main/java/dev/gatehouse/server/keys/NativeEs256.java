package dev.gatehouse.server.keys;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ES256 signatures by BoringSSL (through Conscrypt) instead of the JDK: the token endpoint's
 * largest cost, at about a seventh of the JDK's CPU (docs/benchmarks.md, "ES256 signer").
 *
 * <p>BoringSSL's P-256 is constant-time (its {@code p256-nistz256} x86-64 code and the fiat-crypto
 * field arithmetic elsewhere) and draws ECDSA nonces hedged: from the system random generator mixed
 * with the private key and the digest, so a weak random source does not leak the key. It also
 * verifies ES256 signatures (introspection, policy decisions on a principal's token, userinfo, the
 * admin API's bearer tokens), at about a sixth of the JDK's CPU: its verdicts match Project
 * Wycheproof's on every P-256/SHA-256 vector, and the JDK's on every such signature in the JWS
 * form (WycheproofEs256Test). Conscrypt is not installed as a JCA provider, so nothing else (TLS,
 * hashing, other algorithms) changes.
 *
 * <p>The JDK signs instead when the native library cannot be loaded (a platform Conscrypt ships
 * none for, or a temp directory it cannot unpack to), when a signature made here does not verify
 * with the JDK at start, or when {@code -Dgatehouse.es256=jdk} is set. Conscrypt answers DER
 * (RFC 3279 §2.2.3); JWS wants r‖s, 32 bytes each (RFC 7518 §3.4), converted by {@link #toJose}.
 */
final class NativeEs256 {

  private static final Logger LOG = LoggerFactory.getLogger(NativeEs256.class);
  private static final int HALF = 32;

  private NativeEs256() {}

  /** Loaded on first use (the first ES256 key), not at class initialisation of the server. */
  private static final class Holder {
    static final Provider PROVIDER = load();
  }

  /** The Conscrypt provider, or null when BoringSSL is not in use. */
  static Provider provider() {
    return Holder.PROVIDER;
  }

  /** Whether ES256 keys are signed with BoringSSL. */
  static boolean available() {
    return Holder.PROVIDER != null;
  }

  /** Starts loading the library in the background, so that the first token does not wait. */
  static void preload() {
    Thread.ofVirtual().name("gatehouse-es256-preload").start(NativeEs256::available);
  }

  /** {@code pkcs8} as a key BoringSSL signs with. */
  static PrivateKey privateKey(byte[] pkcs8) {
    try {
      return KeyFactory.getInstance("EC", Holder.PROVIDER)
          .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("BoringSSL refused a stored ES256 private key", e);
    }
  }

  /** A signature object for {@link #privateKey} keys; its output is DER. */
  static Signature newSignature() throws GeneralSecurityException {
    return Signature.getInstance("SHA256withECDSA", Holder.PROVIDER);
  }

  /** {@code key} as a key BoringSSL verifies with; null when BoringSSL is not in use. */
  static PublicKey publicKey(PublicKey key) {
    if (!available()) {
      return null;
    }
    try {
      return KeyFactory.getInstance("EC", Holder.PROVIDER)
          .generatePublic(new X509EncodedKeySpec(key.getEncoded()));
    } catch (GeneralSecurityException e) {
      return null;
    }
  }

  /**
   * Whether {@code jose}, an ES256 signature in the JWS form (RFC 7518 §3.4: exactly 64 bytes,
   * r‖s), is valid over {@code input} under {@code key} (from {@link #publicKey}).
   */
  static boolean verify(PublicKey key, byte[] input, byte[] jose) {
    if (jose.length != 2 * HALF) {
      return false;
    }
    try {
      Signature s = Signature.getInstance("SHA256withECDSA", Holder.PROVIDER);
      s.initVerify(key);
      s.update(input);
      return s.verify(toDer(jose));
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** The 64-byte {@code r‖s} as DER, {@code SEQUENCE { INTEGER r, INTEGER s }}, minimal. */
  static byte[] toDer(byte[] jose) {
    byte[] r = derInteger(jose, 0);
    byte[] s = derInteger(jose, HALF);
    byte[] out = new byte[2 + r.length + s.length];
    out[0] = 0x30;
    out[1] = (byte) (r.length + s.length);
    System.arraycopy(r, 0, out, 2, r.length);
    System.arraycopy(s, 0, out, 2 + r.length, s.length);
    return out;
  }

  /** The unsigned 32 bytes at {@code offset} as a DER INTEGER (tag, length, minimal value). */
  private static byte[] derInteger(byte[] jose, int offset) {
    int from = offset;
    int end = offset + HALF;
    while (from < end - 1 && jose[from] == 0) {
      from++;
    }
    boolean pad = (jose[from] & 0x80) != 0;
    int n = end - from;
    byte[] out = new byte[2 + (pad ? 1 : 0) + n];
    out[0] = 0x02;
    out[1] = (byte) (n + (pad ? 1 : 0));
    System.arraycopy(jose, from, out, pad ? 3 : 2, n);
    return out;
  }

  /**
   * An ECDSA P-256 signature in DER, {@code SEQUENCE { INTEGER r, INTEGER s }}, as the 64-byte
   * {@code r‖s} of RFC 7518 §3.4; throws on anything that is not exactly that shape.
   */
  static byte[] toJose(byte[] der) {
    if (der.length < 8 || der[0] != 0x30 || (der[1] & 0xff) != der.length - 2) {
      throw new IllegalStateException("not a DER ECDSA signature");
    }
    byte[] out = new byte[2 * HALF];
    int next = copyInteger(der, 2, out, 0);
    if (copyInteger(der, next, out, HALF) != der.length) {
      throw new IllegalStateException("trailing bytes after a DER ECDSA signature");
    }
    return out;
  }

  /** Copies the INTEGER at {@code at} right-aligned into {@code out[offset..offset+32)}. */
  private static int copyInteger(byte[] der, int at, byte[] out, int offset) {
    if (at + 2 > der.length || der[at] != 0x02) {
      throw new IllegalStateException("not a DER ECDSA signature");
    }
    int len = der[at + 1] & 0xff;
    int start = at + 2;
    if (len == 0 || len > HALF + 1 || start + len > der.length) {
      throw new IllegalStateException("not a DER ECDSA signature");
    }
    int from = start;
    int n = len;
    if (n == HALF + 1) {
      if (der[from] != 0) {
        throw new IllegalStateException("ECDSA signature integer longer than 32 bytes");
      }
      from++;
      n--;
    }
    System.arraycopy(der, from, out, offset + HALF - n, n);
    return start + len;
  }

  private static Provider load() {
    if ("jdk".equalsIgnoreCase(System.getProperty("gatehouse.es256", ""))) {
      return null;
    }
    try {
      if (!org.conscrypt.Conscrypt.isAvailable()) {
        LOG.info("event=es256_signer signer=jdk reason=native_library_unavailable");
        return null;
      }
      Provider provider = org.conscrypt.Conscrypt.newProvider();
      if (!selfTest(provider)) {
        LOG.warn("event=es256_signer signer=jdk reason=self_test_failed");
        return null;
      }
      org.conscrypt.Conscrypt.Version v = org.conscrypt.Conscrypt.version();
      LOG.info("event=es256_signer signer=boringssl conscrypt={}.{}.{}", v.major(), v.minor(),
          v.patch());
      return provider;
    } catch (Throwable e) {
      // UnsatisfiedLinkError, NoClassDefFoundError (a runtime image without the jar), ...
      LOG.info("event=es256_signer signer=jdk reason={}", e.getClass().getSimpleName());
      return null;
    }
  }

  /** Signs with BoringSSL and verifies with the JDK: both must agree before tokens depend on it. */
  private static boolean selfTest(Provider provider) throws GeneralSecurityException {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = gen.generateKeyPair();
    byte[] message = new byte[64];
    new SecureRandom().nextBytes(message);
    Signature sign = Signature.getInstance("SHA256withECDSA", provider);
    sign.initSign(KeyFactory.getInstance("EC", provider)
        .generatePrivate(new PKCS8EncodedKeySpec(pair.getPrivate().getEncoded())));
    sign.update(message);
    byte[] jose = toJose(sign.sign());
    Signature verify = Signature.getInstance("SHA256withECDSAinP1363Format");
    verify.initVerify(pair.getPublic());
    verify.update(message);
    boolean good = verify.verify(jose);
    byte[] tampered = Arrays.copyOf(message, message.length);
    tampered[0] ^= 1;
    verify.initVerify(pair.getPublic());
    verify.update(tampered);
    return good && !verify.verify(jose);
  }
}
