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
 * signature valid (short r and s included), and what it signs must verify with the JDK.
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
