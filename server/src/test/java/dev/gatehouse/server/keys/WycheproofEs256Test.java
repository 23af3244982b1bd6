package dev.gatehouse.server.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ES256 signer ({@link NativeEs256}: BoringSSL through Conscrypt) against Project Wycheproof's
 * ECDSA P-256/SHA-256 vectors (src/test/resources/wycheproof): the curve arithmetic that signs
 * must judge every vector as Wycheproof does, the DER → r‖s conversion must keep every valid
 * signature valid (short r and s included), and what it signs must verify with the JDK. The ES256
 * verifier ({@link VerificationKey}, BoringSSL too) must judge every signature in the JWS form as
 * the JDK does.
 */
class WycheproofEs256Test {

  private static final HexFormat HEX = HexFormat.of();
  private static JsonNode vectors;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in = WycheproofEs256Test.class.getResourceAsStream(
        "/wycheproof/ecdsa_secp256r1_sha256_test.json")) {
      vectors = new ObjectMapper().readTree(in);
    }
  }

  @Test
  void nativeSignerLoadsOnThisPlatform() {
    // Linux x86-64 (CI, the container image): a silent fall back to the JDK would cost 7x CPU.
    assertThat(NativeEs256.available()).isTrue();
  }

  @Test
  void boringSslVerifierWhenWycheproofVectorsThenSameVerdicts() throws Exception {
    java.security.Provider boringSsl = org.conscrypt.Conscrypt.newProvider();
    int checked = 0;
    for (JsonNode group : vectors.get("testGroups")) {
      PublicKey key = KeyFactory.getInstance("EC").generatePublic(
          new X509EncodedKeySpec(HEX.parseHex(group.get("publicKeyDer").asText())));
      for (JsonNode t : group.get("tests")) {
        String result = t.get("result").asText();
        boolean verdict = verifies(Signature.getInstance("SHA256withECDSA", boringSsl), key, t);
        if (!result.equals("acceptable")) {
          assertThat(verdict).as("tcId %s (%s)", t.get("tcId"), t.get("comment"))
              .isEqualTo(result.equals("valid"));
          checked++;
        }
      }
    }
    assertThat(checked).as("vectors with a definite verdict").isGreaterThan(400);
  }

  @Test
  void toJoseWhenValidWycheproofSignaturesThenJdkVerifiesTheJwsForm() throws Exception {
    int valid = 0;
    for (JsonNode group : vectors.get("testGroups")) {
      PublicKey key = KeyFactory.getInstance("EC").generatePublic(
          new X509EncodedKeySpec(HEX.parseHex(group.get("publicKeyDer").asText())));
      for (JsonNode t : group.get("tests")) {
        if (!t.get("result").asText().equals("valid")) {
          continue;
        }
        Signature jws = Signature.getInstance("SHA256withECDSAinP1363Format");
        jws.initVerify(key);
        jws.update(HEX.parseHex(t.get("msg").asText()));
        assertThat(jws.verify(NativeEs256.toJose(HEX.parseHex(t.get("sig").asText()))))
            .as("tcId %s (%s)", t.get("tcId"), t.get("comment")).isTrue();
        valid++;
      }
    }
    assertThat(valid).isGreaterThan(50);
  }

  @Test
  void verificationKeyWhenEveryWycheproofSignatureInJwsFormThenSameVerdictAsTheJdk()
      throws Exception {
    int compared = 0;
    int valid = 0;
    java.util.Random random = new java.util.Random(20261207);
    for (JsonNode group : vectors.get("testGroups")) {
      PublicKey key = KeyFactory.getInstance("EC").generatePublic(
          new X509EncodedKeySpec(HEX.parseHex(group.get("publicKeyDer").asText())));
      VerificationKey boringSsl = new VerificationKey("k", KeyAlgorithm.ES256, key);
      assertThat(boringSsl.nativeKey()).as("verified by BoringSSL on this platform").isNotNull();
      for (JsonNode t : group.get("tests")) {
        byte[] jose;
        try {
          jose = NativeEs256.toJose(HEX.parseHex(t.get("sig").asText()));
        } catch (IllegalStateException notExpressibleAsJws) {
          continue;  // a DER encoding fault: no r‖s form to compare
        }
        byte[] msg = HEX.parseHex(t.get("msg").asText());
        boolean jdk = jdkJws(key, msg, jose);
        assertThat(boringSsl.verify(msg, jose)).as("tcId %s (%s)", t.get("tcId"),
            t.get("comment")).isEqualTo(jdk);
        if (t.get("result").asText().equals("valid")) {
          assertThat(jdk).isTrue();
          // A changed bit usually invalidates the signature, not always: where s and n - s
          // differ in one bit (Wycheproof's edge cases), the flip is ECDSA's malleability and
          // both verifiers must accept. So the verdicts are compared, as above.
          byte[] tampered = jose.clone();
          tampered[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
          assertThat(boringSsl.verify(msg, tampered)).as("tcId %s tampered", t.get("tcId"))
              .isEqualTo(jdkJws(key, msg, tampered));
          valid++;
        }
        compared++;
      }
    }
    assertThat(compared).as("vectors with an r‖s form").isGreaterThan(250);
    assertThat(valid).isGreaterThan(50);
  }

  @Test
  void verificationKeyWhenSignatureIsNotExactly64BytesThenInvalid() throws Exception {
    KeyPair pair = KeyAlgorithm.ES256.generate();
    SigningKey signer = new SigningKey("k1", KeyAlgorithm.ES256, pair.getPrivate());
    String jws = signer.sign("at+jwt", new byte[] {1, 2, 3});
    int dot = jws.lastIndexOf('.');
    byte[] input = jws.substring(0, dot).getBytes(StandardCharsets.US_ASCII);
    byte[] sig = Base64.getUrlDecoder().decode(jws.substring(dot + 1));
    VerificationKey key = new VerificationKey("k1", KeyAlgorithm.ES256, pair.getPublic());
    assertThat(key.verify(input, sig)).isTrue();
    assertThat(key.verify(input, java.util.Arrays.copyOf(sig, 63))).isFalse();
    assertThat(key.verify(input, java.util.Arrays.copyOf(sig, 65))).isFalse();
    assertThat(key.verify(input, new byte[0])).isFalse();
    assertThat(key.verify(input, new byte[64])).as("r = s = 0").isFalse();
    // The DER form of the same signature is not a JWS signature (RFC 7518 §3.4).
    assertThat(key.verify(input, NativeEs256.toDer(sig))).isFalse();
  }

  @Test
  void toDerWhenLeadingZerosOrHighBitThenMinimalIntegers() {
    byte[] jose = new byte[64];
    jose[31] = 5;             // r = 5: one byte
    jose[32] = (byte) 0x80;   // s has its high bit set: a zero byte in front
    byte[] der = NativeEs256.toDer(jose);
    assertThat(HEX.formatHex(der)).isEqualTo("3026" + "020105" + "022100" + "80"
        + "00".repeat(31));
    assertThat(NativeEs256.toJose(der)).isEqualTo(jose);
  }

  @Test
  void toJoseWhenNotOneDerSequenceOfTwoIntegersThenThrows() {
    assertThatThrownBy(() -> NativeEs256.toJose(HEX.parseHex("3006020101020101ff")))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> NativeEs256.toJose(HEX.parseHex(
        "30260221ff" + "00".repeat(32) + "020101"))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void signingKeyWhenEs256ThenJdkVerifiesEverySignature() throws Exception {
    KeyPair pair = KeyAlgorithm.ES256.generate();
    SigningKey key = new SigningKey("k1", KeyAlgorithm.ES256, pair.getPrivate());
    for (int i = 0; i < 300; i++) {
      byte[] payload = new byte[ThreadLocalRandom.current().nextInt(1, 400)];
      ThreadLocalRandom.current().nextBytes(payload);
      String jws = key.sign("at+jwt", payload);
      int dot = jws.lastIndexOf('.');
      byte[] signature = Base64.getUrlDecoder().decode(jws.substring(dot + 1));
      assertThat(signature).hasSize(64);
      Signature verify = Signature.getInstance("SHA256withECDSAinP1363Format");
      verify.initVerify(pair.getPublic());
      verify.update(jws.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
      assertThat(verify.verify(signature)).as("signature %d", i).isTrue();
    }
  }

  private static boolean jdkJws(PublicKey key, byte[] msg, byte[] jose) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
    s.initVerify(key);
    s.update(msg);
    return s.verify(jose);
  }

  private static boolean verifies(Signature s, PublicKey key, JsonNode t) {
    try {
      s.initVerify(key);
      s.update(HEX.parseHex(t.get("msg").asText()));
      return s.verify(HEX.parseHex(t.get("sig").asText()));
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
