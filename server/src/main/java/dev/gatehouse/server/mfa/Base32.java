package dev.gatehouse.server.mfa;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * Base32 (RFC 4648 §6) without padding: the alphabet authenticator apps expect for TOTP secrets
 * in {@code otpauth://} URIs.
 */
final class Base32 {

  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private Base32() {}

  static String encode(byte[] data) {
    StringBuilder b = new StringBuilder((data.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte d : data) {
      buffer = (buffer << 8) | (d & 0xff);
      bits += 8;
      while (bits >= 5) {
        b.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      b.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
    }
    return b.toString();
  }

  /** Decodes, ignoring case, spaces and padding; throws on other characters. */
  static byte[] decode(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (char c : text.toUpperCase(Locale.ROOT).toCharArray()) {
      if (c == '=' || c == ' ' || c == '-') {
        continue;
      }
      int v = ALPHABET.indexOf(c);
      if (v < 0) {
        throw new IllegalArgumentException("not base32: `" + c + "`");
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return out.toByteArray();
  }
}
