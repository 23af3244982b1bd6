package dev.gatehouse.cedar.ast;

import java.util.Set;

/** Helpers for Cedar identifiers and string literals, shared by the parser and the formatter. */
public final class Names {
  /** Words that may never be used as identifiers in Cedar. */
  public static final Set<String> RESERVED =
      Set.of("true", "false", "if", "then", "else", "in", "is", "like", "has", "__cedar");

  private Names() {}

  /** Returns whether {@code s} is a syntactically valid identifier, reserved or not. */
  public static boolean isIdentifier(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns whether {@code s} is a valid (possibly namespaced) name such as {@code NS::User}:
   * identifiers joined by {@code ::}, none of them reserved.
   */
  public static boolean isValidName(String s) {
    for (String part : s.split("::", -1)) {
      if (!isIdentifier(part) || RESERVED.contains(part)) {
        return false;
      }
    }
    return true;
  }

  /** Returns {@code s} as a Cedar string literal with quotes, escaping as Rust's {@code escape_debug} does. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case 0 -> b.append("\\0");
        default -> {
          if (cp < 0x20 || cp == 0x7f) {
            b.append("\\u{").append(Integer.toHexString(cp)).append('}');
          } else {
            b.appendCodePoint(cp);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
