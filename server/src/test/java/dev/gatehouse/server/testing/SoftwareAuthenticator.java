package dev.gatehouse.server.testing;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A WebAuthn authenticator in software for tests without a browser: a P-256 key, "none"
 * attestation, a signature counter the test controls, and the JSON a browser would send
 * (WebAuthn L3 RegistrationResponseJSON / AuthenticationResponseJSON). Written from the spec
 * (§6.1 authenticator data, §6.5.4 attestation object, RFC 8152 COSE keys, RFC 8949 CBOR), so it
 * checks webauthn4j's use here independently of the browser.
 */
public final class SoftwareAuthenticator {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  final byte[] credentialId = new byte[32];
  final KeyPair keys;
  final String origin;
  final String rpId;
  public boolean backupEligible;
  public boolean userVerified = true;
  public long counter;

  public SoftwareAuthenticator(String rpId, String origin) throws Exception {
    this.rpId = rpId;
    this.origin = origin;
    new java.security.SecureRandom().nextBytes(credentialId);
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    keys = g.generateKeyPair();
  }

  public String credentialIdB64() {
    return B64.encodeToString(credentialId);
  }

  /** navigator.credentials.create() for {@code challenge} (base64url). */
  public String create(String challenge) throws Exception {
    byte[] clientData = clientData("webauthn.create", challenge);
    ByteArrayOutputStream ad = new ByteArrayOutputStream();
    ad.write(authData(true));
    ad.write(new byte[16]); // AAGUID: zeros for "none" attestation
    ad.write((credentialId.length >> 8) & 0xff);
    ad.write(credentialId.length & 0xff);
    ad.write(credentialId);
    ad.write(coseKey());
    Map<Object, Object> att = new LinkedHashMap<>();
    att.put("fmt", "none");
    att.put("attStmt", new LinkedHashMap<>());
    att.put("authData", ad.toByteArray());
    return "{\"id\":\"" + credentialIdB64() + "\",\"rawId\":\"" + credentialIdB64()
        + "\",\"type\":\"public-key\",\"response\":{\"clientDataJSON\":\""
        + B64.encodeToString(clientData) + "\",\"attestationObject\":\""
        + B64.encodeToString(cbor(att)) + "\",\"transports\":[\"internal\"]},"
        + "\"clientExtensionResults\":{}}";
  }

  /** navigator.credentials.get() for {@code challenge}, answered with {@code userHandle}. */
  public String get(String challenge, String userId) throws Exception {
    byte[] clientData = clientData("webauthn.get", challenge);
    byte[] authData = authData(false);
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(keys.getPrivate());
    s.update(authData);
    s.update(MessageDigest.getInstance("SHA-256").digest(clientData));
    return "{\"id\":\"" + credentialIdB64() + "\",\"rawId\":\"" + credentialIdB64()
        + "\",\"type\":\"public-key\",\"response\":{\"clientDataJSON\":\""
        + B64.encodeToString(clientData) + "\",\"authenticatorData\":\""
        + B64.encodeToString(authData) + "\",\"signature\":\"" + B64.encodeToString(s.sign())
        + "\"" + (userId == null ? "" : ",\"userHandle\":\""
        + B64.encodeToString(userId.getBytes(StandardCharsets.UTF_8)) + "\"")
        + "},\"clientExtensionResults\":{}}";
  }

  private byte[] clientData(String type, String challenge) {
    return ("{\"type\":\"" + type + "\",\"challenge\":\"" + challenge + "\",\"origin\":\""
        + origin + "\",\"crossOrigin\":false}").getBytes(StandardCharsets.UTF_8);
  }

  /** §6.1: rpIdHash, flags (UP, UV, BE, AT), signCount. */
  private byte[] authData(boolean attested) throws Exception {
    int flags = 0x01 | (userVerified ? 0x04 : 0) | (backupEligible ? 0x08 : 0)
        | (attested ? 0x40 : 0);
    return ByteBuffer.allocate(37)
        .put(MessageDigest.getInstance("SHA-256").digest(rpId.getBytes(StandardCharsets.UTF_8)))
        .put((byte) flags).putInt((int) counter).array();
  }

  /** RFC 8152 §13.1.1: kty EC2 (2), alg ES256 (-7), crv P-256 (1), x, y. */
  private byte[] coseKey() {
    ECPublicKey pub = (ECPublicKey) keys.getPublic();
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(1, 2);
    m.put(3, -7);
    m.put(-1, 1);
    m.put(-2, fixed(pub.getW().getAffineX()));
    m.put(-3, fixed(pub.getW().getAffineY()));
    return cbor(m);
  }

  private static byte[] fixed(BigInteger v) {
    byte[] b = v.toByteArray();
    return b.length == 32 ? b : b.length > 32 ? Arrays.copyOfRange(b, b.length - 32, b.length)
        : ByteBuffer.allocate(32).put(new byte[32 - b.length]).put(b).array();
  }

  /** RFC 8949 for the few types needed: ints, byte and text strings, maps. */
  static byte[] cbor(Object o) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, o);
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, Object o) {
    if (o instanceof Integer i) {
      head(out, i >= 0 ? 0 : 1, i >= 0 ? i : -1L - i);
    } else if (o instanceof byte[] b) {
      head(out, 2, b.length);
      out.writeBytes(b);
    } else if (o instanceof String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      head(out, 3, b.length);
      out.writeBytes(b);
    } else if (o instanceof Map<?, ?> m) {
      head(out, 5, m.size());
      m.forEach((k, v) -> {
        write(out, k);
        write(out, v);
      });
    } else {
      throw new IllegalArgumentException(String.valueOf(o));
    }
  }

  private static void head(ByteArrayOutputStream out, int major, long n) {
    if (n < 24) {
      out.write((major << 5) | (int) n);
    } else if (n < 256) {
      out.write((major << 5) | 24);
      out.write((int) n);
    } else {
      out.write((major << 5) | 25);
      out.write((int) (n >> 8) & 0xff);
      out.write((int) n & 0xff);
    }
  }
}
