package dev.gatehouse.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** HMAC-SHA-256 hashes of server-generated secrets. */
class SecretHasherTest {

  private static byte[] key(int fill) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) fill);
    return k;
  }

  private final SecretHasher hasher = new SecretHasher(key(1));

  @Test
  void hashWhenSameSecretThenSameBase64UrlValueOf43Characters() {
    String h = hasher.hash("secret");
    assertThat(h).isEqualTo(hasher.hash("secret")).hasSize(43).matches("[A-Za-z0-9_-]{43}");
    assertThat(h).isNotEqualTo(hasher.hash("secreT"));
  }

  /**
   * RFC 4231 test cases 1, 2 and 6 (§4.2, §4.3, §4.7; case 6 has a key longer than a block), the
   * expected values copied from the RFC, not computed by a MAC here.
   */
  @Test
  void hashWhenRfc4231VectorsThenTheirHmacSha256() {
    assertRfc4231("0b".repeat(20), "Hi There",
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    assertRfc4231("4a656665", "what do ya want for nothing?",
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    assertRfc4231("aa".repeat(131), "Test Using Larger Than Block-Size Key - Hash Key First",
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  }

  private static void assertRfc4231(String keyHex, String data, String macHex) {
    String expected = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(HexFormat.of().parseHex(macHex));
    assertThat(new SecretHasher(HexFormat.of().parseHex(keyHex)).hash(data)).isEqualTo(expected);
  }

  @Test
  void hashWhenKeysDifferThenHashesDiffer() {
    assertThat(new SecretHasher(key(2)).hash("secret")).isNotEqualTo(hasher.hash("secret"));
  }

  @Test
  void matchesWhenRightSecretThenTrueOtherwiseFalse() {
    String h = hasher.hash("secret");
    assertThat(hasher.matches("secret", h)).isTrue();
    assertThat(hasher.matches("secret2", h)).isFalse();
    assertThat(hasher.matches("", h)).isFalse();
    assertThat(hasher.matches("secret", h + "x")).isFalse();
    assertThat(hasher.matches("secret", h.substring(1))).isFalse();
  }

  @Test
  void matchesWhenNullThenFalse() {
    assertThat(hasher.matches(null, hasher.hash("x"))).isFalse();
    assertThat(hasher.matches("x", null)).isFalse();
  }

  @Test
  void matchesWhenHashHasNonAsciiThenFalseNotException() {
    assertThat(hasher.matches("x", "\u00e9\u00e9")).isFalse();
  }
}
