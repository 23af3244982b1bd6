package dev.gatehouse.server.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Optional;

/**
 * A JWS signing algorithm the server can hold keys for (RFC 7518 §3.1, RFC 8037 §3.1).
 *
 * <p>ES256 is the default for access tokens: on this hardware it signs about six times faster
 * than RS256. RS256 is there for interoperability (OpenID Connect's default id_token algorithm)
 * and EdDSA (Ed25519) for clients that prefer it.
 */
public enum KeyAlgorithm {
  ES256("EC", "SHA256withECDSAinP1363Format"),
  RS256("RSA", "SHA256withRSA"),
  EdDSA("Ed25519", "Ed25519");

  private final String keyFactory;
  private final String jcaSignature;

  KeyAlgorithm(String keyFactory, String jcaSignature) {
    this.keyFactory = keyFactory;
    this.jcaSignature = jcaSignature;
  }

  /** The JCA signature algorithm; ECDSA in the JOSE (IEEE P1363, r‖s) encoding. */
  public String jcaSignature() {
    return jcaSignature;
  }

  /** Parses a JOSE {@code alg} value, exactly as spelled in RFC 7518 / RFC 8037. */
  public static Optional<KeyAlgorithm> fromJose(String alg) {
    for (KeyAlgorithm a : values()) {
      if (a.name().equals(alg)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** Parses a user-facing name case-insensitively ({@code es256}, {@code eddsa}). */
  public static Optional<KeyAlgorithm> fromName(String name) {
    for (KeyAlgorithm a : values()) {
      if (a.name().equalsIgnoreCase(name)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  public KeyPair generate() {
    if (this == RS256) {
      Optional<KeyPair> fast = NativeRsaKeys.generate2048();
      if (fast.isPresent()) {
        return fast.get();
      }
    }
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance(keyFactory);
      switch (this) {
        case ES256 -> gen.initialize(new ECGenParameterSpec("secp256r1"));
        case RS256 -> gen.initialize(2048);
        case EdDSA -> { }
      }
      return gen.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a " + this + " key", e);
    }
  }

  public PrivateKey privateKey(byte[] pkcs8) {
    try {
      return KeyFactory.getInstance(keyFactory).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("stored " + this + " private key is unreadable", e);
    }
  }

  public PublicKey publicKey(byte[] x509) {
    try {
      return KeyFactory.getInstance(keyFactory).generatePublic(new X509EncodedKeySpec(x509));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("stored " + this + " public key is unreadable", e);
    }
  }

  /** The public JWK (RFC 7517) of {@code key}, with kid, alg and use=sig. */
  public JWK publicJwk(PublicKey key, String kid) {
    JWSAlgorithm jose = JWSAlgorithm.parse(name());
    return switch (this) {
      case ES256 -> new ECKey.Builder(Curve.P_256, (ECPublicKey) key)
          .keyID(kid).algorithm(jose).keyUse(KeyUse.SIGNATURE).build();
      case RS256 -> new RSAKey.Builder((RSAPublicKey) key)
          .keyID(kid).algorithm(jose).keyUse(KeyUse.SIGNATURE).build();
      case EdDSA -> new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(rawEd25519(key)))
          .keyID(kid).algorithm(jose).keyUse(KeyUse.SIGNATURE).build();
    };
  }

  /** The 32-byte public key of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4: after a fixed header). */
  private static byte[] rawEd25519(PublicKey key) {
    byte[] spki = key.getEncoded();
    return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
  }
}
