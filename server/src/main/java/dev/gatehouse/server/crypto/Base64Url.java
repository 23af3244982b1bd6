package dev.gatehouse.server.crypto;

import java.util.Base64;

/**
 * Strict base64url for the parts of a JWS compact serialization.
 *
 * <p>RFC 7515 §2 defines Base64url Encoding "with all trailing '=' characters omitted" and
 * "without the inclusion of any line breaks, whitespace, or other additional characters", and
 * §7.1 builds the compact serialization from exactly those strings. The JDK's URL decoder also
 * takes padding and non-zero trailing bits, so one signature would have several spellings: a
 * token with {@code ==} appended would be a different string (another cache key, another jti
 * lookup) that verifies all the same. Only the one canonical spelling is accepted here.
 */
public final class Base64Url {

  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private Base64Url() {}

  /**
   * The bytes {@code s} encodes, if it is canonical unpadded base64url.
   *
   * @throws IllegalArgumentException for padding, characters outside the base64url alphabet, an
   *     impossible length, or non-zero trailing bits
   */
  public static byte[] decode(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
          || c == '_')) {
        throw new IllegalArgumentException("not unpadded base64url");
      }
    }
    byte[] bytes = DECODER.decode(s);
    // INVARIANT: re-encoding gives the input back, so every value has exactly one spelling.
    if (!ENCODER.encodeToString(bytes).equals(s)) {
      throw new IllegalArgumentException("not canonical base64url");
    }
    return bytes;
  }

  /** Whether every dot-separated part of a compact JWS is canonical base64url. */
  public static boolean isCanonicalCompact(String jws) {
    String[] parts = jws.split("\\.", -1);
    if (parts.length != 3) {
      return false;
    }
    try {
      for (String p : parts) {
        decode(p);
      }
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
