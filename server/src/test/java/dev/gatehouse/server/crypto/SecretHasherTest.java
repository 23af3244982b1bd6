package dev.gatehouse.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
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

  @Test
  void hashWhenKnownVectorThenHmacSha256() throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(key(1), "HmacSHA256"));
    String expected = java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(mac.doFinal("s\u00e9cret".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(hasher.hash("s\u00e9cret")).isEqualTo(expected);
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
