package dev.gatehouse.cedar.schema;

/**
 * The uid of an action entity as the schema names it: a fully qualified action entity type
 * (for example {@code Action} or {@code NS::Action}) and an id.
 */
public record ActionId(String type, String id) {
  @Override
  public String toString() {
    return type + "::\"" + escape(id) + "\"";
  }

  /** Escapes an id the way Cedar prints string literals, so that messages stay readable. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case 0 -> b.append("\\0");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append("\\u{").append(Integer.toHexString(c)).append('}');
          } else {
            b.appendCodePoint(c);
          }
        }
      }
    }
    return b.toString();
  }
}
