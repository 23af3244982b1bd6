package dev.gatehouse.server.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/** Proof Key for Code Exchange (RFC 7636), S256 only. */
public final class PkceVerifier {

  /** RFC 7636 §4.1: {@code code-verifier = 43*128unreserved}. */
  private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
  /** RFC 7636 §4.2: the S256 challenge is a base64url SHA-256: 43 characters. */
  private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

  private PkceVerifier() {}

  public static boolean validChallenge(String challenge) {
    return challenge != null && CHALLENGE.matcher(challenge).matches();
  }

  /**
   * RFC 7636 §4.6: "If the "code_challenge_method" from Section 4.3 was "S256", the received
   * "code_verifier" is hashed by SHA-256, base64url-encoded, and then compared to the
   * "code_challenge", i.e.: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) == code_challenge".
   */
  public static boolean matches(String verifier, String challenge) {
    if (verifier == null || challenge == null || !VERIFIER.matcher(verifier).matches()) {
      return false;
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256")
          .digest(verifier.getBytes(StandardCharsets.US_ASCII));
      byte[] expected = Base64.getUrlEncoder().withoutPadding().encodeToString(h)
          .getBytes(StandardCharsets.US_ASCII);
      return MessageDigest.isEqual(expected, challenge.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
