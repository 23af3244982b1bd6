package dev.gatehouse.cedar.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * Resolves escapes in Cedar string literals the way Rust string literals do: backslash followed by
 * n, r, t, backslash, 0, single or double quote, xHH (ASCII only) or u{H..H} (a Unicode scalar
 * value); patterns additionally allow an escaped star.
 */
final class Unescaper {
  private Unescaper() {}

  /** Thrown with a description when an escape is invalid. */
  static final class BadEscape extends Exception {
    private static final long serialVersionUID = 1L;

    BadEscape(String message) {
      super(message, null, false, false);
    }
  }

  /** Returns the string a literal's body (without quotes) denotes. */
  static String unescape(String body) throws BadEscape {
    List<String> chunks = unescape(body, false);
    return chunks.get(0);
  }

  /** Returns a pattern's literal chunks, split at unescaped {@code *}. */
  static List<String> unescapePattern(String body) throws BadEscape {
    return unescape(body, true);
  }

  private static List<String> unescape(String s, boolean pattern) throws BadEscape {
    List<String> chunks = new ArrayList<>();
    StringBuilder b = new StringBuilder(s.length());
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == '*' && pattern) {
        chunks.add(b.toString());
        b.setLength(0);
        i++;
        continue;
      }
      if (c != '\\') {
        b.append(c);
        i++;
        continue;
      }
      if (i + 1 >= n) {
        throw new BadEscape("invalid escape at end of string");
      }
      char e = s.charAt(i + 1);
      i += 2;
      switch (e) {
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case '\\' -> b.append('\\');
        case '0' -> b.append('\0');
        case '\'' -> b.append('\'');
        case '"' -> b.append('"');
        case '*' -> {
          if (!pattern) {
            throw new BadEscape("the input `\\*` is not a valid escape");
          }
          b.append('*');
        }
        case 'x' -> {
          if (i + 2 > n) {
            throw new BadEscape("invalid `\\x` escape");
          }
          int hi = hex(s.charAt(i));
          int lo = hex(s.charAt(i + 1));
          int v = hi * 16 + lo;
          if (hi < 0 || lo < 0 || v > 0x7f) {
            throw new BadEscape("`\\x` escape out of range");
          }
          b.append((char) v);
          i += 2;
        }
        case 'u' -> {
          if (i >= n || s.charAt(i) != '{') {
            throw new BadEscape("invalid `\\u` escape");
          }
          int close = s.indexOf('}', i);
          if (close < 0) {
            throw new BadEscape("unterminated `\\u` escape");
          }
          String digits = s.substring(i + 1, close).replace("_", "");
          if (digits.isEmpty() || digits.length() > 6 || s.charAt(i + 1) == '_') {
            throw new BadEscape("invalid `\\u` escape");
          }
          int cp = 0;
          for (int k = 0; k < digits.length(); k++) {
            int h = hex(digits.charAt(k));
            if (h < 0) {
              throw new BadEscape("invalid `\\u` escape");
            }
            cp = cp * 16 + h;
          }
          if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            throw new BadEscape("invalid unicode scalar value in `\\u` escape");
          }
          b.appendCodePoint(cp);
          i = close + 1;
        }
        default -> throw new BadEscape("the input `\\" + e + "` is not a valid escape");
      }
    }
    chunks.add(b.toString());
    return chunks;
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
