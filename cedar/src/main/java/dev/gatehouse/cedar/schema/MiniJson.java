package dev.gatehouse.cedar.schema;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader for the JSON schema format: objects become {@link LinkedHashMap},
 * arrays {@link List}, numbers {@link BigInteger} (non-integers are rejected: no schema field
 * holds one), plus {@link String}, {@link Boolean} and {@link #NULL}.
 *
 * <p>Kept package-private so it can be replaced by the core's JSON reader without touching the
 * public API. Duplicate keys are an error, as in upstream's serde configuration.
 */
final class MiniJson {
  /** The JSON {@code null} (maps cannot hold Java null conveniently). */
  static final Object NULL = new Object();

  /** Nesting limit, so that hostile input fails cleanly instead of overflowing the stack. */
  static final int MAX_DEPTH = 128;

  private final String s;
  private int pos;
  private int depth;

  private MiniJson(String s) {
    this.s = s;
  }

  /** Parses one JSON document, or throws {@link SchemaException}. */
  static Object parse(String text) {
    MiniJson p = new MiniJson(text);
    Object v = p.value();
    p.space();
    if (p.pos != text.length()) {
      throw p.error("unexpected trailing characters");
    }
    return v;
  }

  private Object value() {
    space();
    if (pos >= s.length()) {
      throw error("unexpected end of input");
    }
    char c = s.charAt(pos);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", NULL);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character `" + c + "`");
    }
  }

  private Object literal(String word, Object v) {
    if (!s.startsWith(word, pos)) {
      throw error("invalid literal");
    }
    pos += word.length();
    return v;
  }

  private Object number() {
    int start = pos;
    if (s.charAt(pos) == '-') {
      pos++;
    }
    int digits = pos;
    while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
      pos++;
    }
    if (pos == digits) {
      throw error("invalid number");
    }
    if (pos < s.length() && ".eE".indexOf(s.charAt(pos)) >= 0) {
      throw error("only integers are allowed here");
    }
    return new BigInteger(s.substring(start, pos));
  }

  private Map<String, Object> object() {
    enter();
    pos++;
    Map<String, Object> m = new LinkedHashMap<>();
    space();
    if (peek() == '}') {
      pos++;
      depth--;
      return m;
    }
    while (true) {
      space();
      if (peek() != '"') {
        throw error("expected a string key");
      }
      String k = string();
      space();
      if (peek() != ':') {
        throw error("expected `:`");
      }
      pos++;
      if (m.put(k, value()) != null) {
        throw error("duplicate key `" + k + "`");
      }
      space();
      char c = peek();
      pos++;
      if (c == '}') {
        depth--;
        return m;
      }
      if (c != ',') {
        throw error("expected `,` or `}`");
      }
    }
  }

  private List<Object> array() {
    enter();
    pos++;
    List<Object> l = new ArrayList<>();
    space();
    if (peek() == ']') {
      pos++;
      depth--;
      return l;
    }
    while (true) {
      l.add(value());
      space();
      char c = peek();
      pos++;
      if (c == ']') {
        depth--;
        return l;
      }
      if (c != ',') {
        throw error("expected `,` or `]`");
      }
    }
  }

  private String string() {
    pos++;
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= s.length()) {
        throw error("unterminated string");
      }
      char c = s.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        throw error("control character in string");
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = peek();
      pos++;
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          if (pos + 4 > s.length()) {
            throw error("invalid unicode escape");
          }
          try {
            b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("invalid unicode escape");
          }
          pos += 4;
        }
        default -> throw error("invalid escape");
      }
    }
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw error("JSON is nested too deeply");
    }
  }

  private char peek() {
    if (pos >= s.length()) {
      throw error("unexpected end of input");
    }
    return s.charAt(pos);
  }

  private void space() {
    while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
      pos++;
    }
  }

  private SchemaException error(String message) {
    int line = 1;
    int col = 1;
    for (int i = 0; i < Math.min(pos, s.length()); i++) {
      if (s.charAt(i) == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return new SchemaException(line, col, message);
  }
}
