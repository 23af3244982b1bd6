package dev.gatehouse.server.http;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A strict reader of {@code application/x-www-form-urlencoded} bodies for OAuth endpoints.
 *
 * <p>RFC 6749 §3.1: "Parameters sent without a value MUST be treated as if they were omitted from
 * the request" and "Request and response parameters MUST NOT be included more than once" — a
 * repeated parameter is invalid_request, as is malformed percent-encoding or UTF-8.
 *
 * <p>A malformed form is an {@link HttpError} (400, {@code invalid_request}): the endpoint's
 * handler renders it in its own error format (OAuth JSON, or an error page).
 */
public final class Form {

  static final int MAX_PARAMETERS = 64;

  private Form() {}

  public static Map<String, String> parse(byte[] body) {
    for (byte b : body) {
      if (b < 0) {
        throw invalid("the form body must be percent-encoded ASCII");
      }
    }
    String text = new String(body, StandardCharsets.US_ASCII);
    Map<String, String> out = new HashMap<>();
    if (text.isEmpty()) {
      return out;
    }
    String[] pairs = text.split("&", -1);
    if (pairs.length > MAX_PARAMETERS) {
      throw invalid("the form has more than " + MAX_PARAMETERS
          + " parameters");
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String pair : pairs) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (!seen.add(name)) {
        throw invalid("parameter `" + printable(name)
            + "` is included more than once");
      }
      if (!value.isEmpty()) {
        out.put(name, value);
      }
    }
    return out;
  }

  private static String decode(String s) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return s; // plain ASCII (checked by parse): nothing to decode
    }
    byte[] out = new byte[s.length()];
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        out[n++] = ' ';
      } else if (c == '%') {
        if (i + 2 >= s.length()) {
          throw invalid("the form has a truncated percent-encoding");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw invalid("the form has an invalid percent-encoding");
        }
        out[n++] = (byte) (hi << 4 | lo);
        i += 2;
      } else {
        out[n++] = (byte) c;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(out, 0, n)).toString();
    } catch (CharacterCodingException e) {
      throw invalid("the form has a value that is not UTF-8");
    }
  }

  private static HttpError invalid(String message) {
    return new HttpError(400, "invalid_request", message);
  }

  /** User input fit for an error message: printable ASCII, at most 64 characters. */
  public static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 64; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7F ? c : '?');
    }
    return b.toString();
  }
}
