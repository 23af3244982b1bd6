package dev.gatehouse.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** RFC 7636 PKCE, S256 only: the verifier's grammar and the challenge it must hash to. */
@DisplayName("RFC 7636 PKCE")
class PkceVerifierTest {

  /** RFC 7636 Appendix B. */
  static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

  @Test
  @DisplayName("Appendix B: BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge")
  void matchesWhenAppendixBVectorThenTrue() {
    assertThat(PkceVerifier.matches(VERIFIER, CHALLENGE)).isTrue();
  }

  @Test
  void matchesWhenVerifierOrChallengeDiffersByOneCharacterThenFalse() {
    assertThat(PkceVerifier.matches(VERIFIER.replace('k', 'l'), CHALLENGE)).isFalse();
    assertThat(PkceVerifier.matches(VERIFIER, CHALLENGE.replace('M', 'N'))).isFalse();
    // The challenge with the base64 padding the S256 method leaves off.
    assertThat(PkceVerifier.matches(VERIFIER, CHALLENGE + "=")).isFalse();
    // The plain method: the verifier as its own challenge is not accepted.
    assertThat(PkceVerifier.matches(VERIFIER, VERIFIER)).isFalse();
  }

  @Test
  void matchesWhenEitherIsMissingThenFalse() {
    assertThat(PkceVerifier.matches(null, CHALLENGE)).isFalse();
    assertThat(PkceVerifier.matches(VERIFIER, null)).isFalse();
    assertThat(PkceVerifier.matches(null, null)).isFalse();
  }

  @Test
  @DisplayName("§4.1: code-verifier = 43*128unreserved")
  void matchesWhenVerifierOutsideTheGrammarThenFalseEvenIfItHashesToTheChallenge() {
    String short42 = "a".repeat(42);
    assertThat(PkceVerifier.matches(short42, s256(short42))).isFalse();
    String long129 = "a".repeat(129);
    assertThat(PkceVerifier.matches(long129, s256(long129))).isFalse();
    String space = VERIFIER.substring(1) + " ";
    assertThat(PkceVerifier.matches(space, s256(space))).isFalse();
    String min = "A1._~-".repeat(7) + "z";
    assertThat(PkceVerifier.matches(min, s256(min))).isTrue();
    String max = "a".repeat(128);
    assertThat(PkceVerifier.matches(max, s256(max))).isTrue();
  }

  @Test
  @DisplayName("§4.2: an S256 code_challenge is 43 base64url characters")
  void validChallengeWhenFortyThreeBase64UrlCharactersThenTrue() {
    assertThat(PkceVerifier.validChallenge(CHALLENGE)).isTrue();
    assertThat(PkceVerifier.validChallenge(CHALLENGE.substring(1))).isFalse();
    assertThat(PkceVerifier.validChallenge(CHALLENGE + "A")).isFalse();
    assertThat(PkceVerifier.validChallenge(CHALLENGE.replace('-', '+'))).isFalse();
    assertThat(PkceVerifier.validChallenge("")).isFalse();
    assertThat(PkceVerifier.validChallenge(null)).isFalse();
  }

  /** The S256 challenge of {@code verifier}, computed apart from the code under test. */
  static String s256(String verifier) {
    try {
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(verifier.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
