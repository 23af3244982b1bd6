package dev.gatehouse.server.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.Test;

class NativeRsaKeysTest {

  @Test
  void generateWhenBoringSslLoadedThenA2048BitJdkPairThatSignsAndVerifies() throws Exception {
    assertThat(NativeEs256.available()).as("Conscrypt's native library loads here").isTrue();
    KeyPair pair = NativeRsaKeys.generate2048().orElseThrow();
    RSAPublicKey pub = (RSAPublicKey) pair.getPublic();
    RSAPrivateCrtKey priv = (RSAPrivateCrtKey) pair.getPrivate();
    assertThat(pub.getModulus().bitLength()).isEqualTo(2048);
    assertThat(pub.getPublicExponent()).isEqualTo(BigInteger.valueOf(65537));
    assertThat(priv.getModulus()).isEqualTo(pub.getModulus());
    // p·q = n: the CRT parameters are those of the modulus.
    assertThat(priv.getPrimeP().multiply(priv.getPrimeQ())).isEqualTo(pub.getModulus());
    // JDK keys, so storage and signing are those of every other key.
    assertThat(priv.getClass().getName()).startsWith("sun.security.rsa.");
    JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.RS256), new Payload("{\"a\":1}"));
    jws.sign(new RSASSASigner(priv));
    assertThat(JWSObject.parse(jws.serialize()).verify(new RSASSAVerifier(pub))).isTrue();
  }

  @Test
  void generateWhenCalledTwiceThenDifferentModuli() {
    assertThat(((RSAPublicKey) NativeRsaKeys.generate2048().orElseThrow().getPublic()).getModulus())
        .isNotEqualTo(((RSAPublicKey) NativeRsaKeys.generate2048().orElseThrow().getPublic())
            .getModulus());
  }

  @Test
  void consistentWhenPublicKeyOfAnotherPairThenFalse() throws Exception {
    KeyPair a = NativeRsaKeys.generate2048().orElseThrow();
    KeyPair b = NativeRsaKeys.generate2048().orElseThrow();
    assertThat(NativeRsaKeys.consistent(a.getPrivate(), a.getPublic())).isTrue();
    assertThat(NativeRsaKeys.consistent(a.getPrivate(), b.getPublic())).isFalse();
  }

  @Test
  void keyAlgorithmRs256WhenGeneratedThenStoredFormRoundTrips() {
    KeyPair pair = KeyAlgorithm.RS256.generate();
    assertThat(KeyAlgorithm.RS256.privateKey(pair.getPrivate().getEncoded()))
        .isEqualTo(pair.getPrivate());
    assertThat(KeyAlgorithm.RS256.publicKey(pair.getPublic().getEncoded()))
        .isEqualTo(pair.getPublic());
  }
}
