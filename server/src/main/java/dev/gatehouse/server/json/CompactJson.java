package dev.gatehouse.server.json;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/**
 * A writer of small JSON documents made of maps, collections, strings, integers, booleans and
 * nulls: token responses, introspection answers, JWT claims, errors. It writes what Jackson's
 * default {@code ObjectMapper} writes for the same values (compact, UTF-8, map order kept), at a
 * fraction of the cost per call, and gives up (returns null) on anything else so that the caller
 * falls back to Jackson.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8259#section-7">RFC 8259 §7, strings</a>
 */
public final class CompactJson {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private CompactJson() {}

  /** The UTF-8 JSON of {@code value}, or null when it holds a type this writer does not handle. */
  public static byte[] tryWrite(Object value) {
    String json = tryWriteString(value);
    return json == null ? null : json.getBytes(StandardCharsets.UTF_8);
  }

  /** The JSON text of {@code value}, or null when it holds a type this writer does not handle. */
  public static String tryWriteString(Object value) {
    StringBuilder out = new StringBuilder(256);
    return write(value, out, 0) ? out.toString() : null;
  }

  private static boolean write(Object v, StringBuilder out, int depth) {
    if (depth > 16) {
      return false;
    }
    if (v == null) {
      out.append("null");
    } else if (v instanceof String s) {
      return string(s, out);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short
        || v instanceof Byte) {
      out.append(((Number) v).longValue());
    } else if (v instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (v instanceof Map<?, ?> m) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          return false;
        }
        if (!first) {
          out.append(',');
        }
        first = false;
        if (!string(key, out)) {
          return false;
        }
        out.append(':');
        if (!write(e.getValue(), out, depth + 1)) {
          return false;
        }
      }
      out.append('}');
    } else if (v instanceof Collection<?> c) {
      out.append('[');
      boolean first = true;
      for (Object item : c) {
        if (!first) {
          out.append(',');
        }
        first = false;
        if (!write(item, out, depth + 1)) {
          return false;
        }
      }
      out.append(']');
    } else {
      return false;
    }
    return true;
  }

  /** A JSON string; false for text with surrogates, which Jackson's rules should handle. */
  private static boolean string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        switch (c) {
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          case '\b' -> out.append("\\b");
          case '\f' -> out.append("\\f");
          default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
        }
      } else if (Character.isSurrogate(c)) {
        return false;
      } else {
        out.append(c);
      }
    }
    out.append('"');
    return true;
  }
}
