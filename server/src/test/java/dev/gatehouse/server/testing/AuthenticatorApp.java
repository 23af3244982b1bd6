package dev.gatehouse.server.testing;

import dev.gatehouse.server.mfa.Totp;

/** What an authenticator app does with the secret a set-up page shows: decode it, make codes. */
public final class AuthenticatorApp {

  private AuthenticatorApp() {}

  /** RFC 4648 base32, decoded independently of the server's own decoder. */
  public static byte[] base32(String s) {
    byte[] out = new byte[s.length() * 5 / 8];
    long buffer = 0;
    int bits = 0;
    int n = 0;
    for (char c : s.toCharArray()) {
      buffer = (buffer << 5) | "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".indexOf(c);
      bits += 5;
      if (bits >= 8) {
        out[n++] = (byte) (buffer >> (bits - 8));
        bits -= 8;
      }
    }
    return out;
  }

  /** The code of the time step {@code offset} steps from now. */
  public static String totp(byte[] secret, long offset) {
    return Totp.code(secret, Totp.step(System.currentTimeMillis() / 1000) + offset);
  }
}
