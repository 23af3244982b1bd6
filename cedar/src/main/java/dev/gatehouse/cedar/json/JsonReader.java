package dev.gatehouse.cedar.json;

import dev.gatehouse.cedar.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 JSON reader producing {@link Json} trees.
 *
 * <p>Numbers keep their text (no {@code double} rounding); duplicate object keys, lone surrogates
 * and nesting deeper than {@link #MAX_DEPTH} are errors.
 */
public final class JsonReader {
  /** The deepest nesting of arrays and objects accepted. */
  public static final int MAX_DEPTH = 256;

  private final String src;
  private int pos;
  private int depth;

  private JsonReader(String src) {
    this.src = src;
  }

  /**
   * Parses one JSON document.
   *
   * @throws ParseException on malformed input
   */
  public static Json parse(String text) {
    return onSufficientStack(text, () -> parseHere(text));
  }

  /**
   * Runs {@code work} (reading {@code text}, and what follows from its nesting) on this thread, or
   * on the {@link dev.gatehouse.cedar.DeepStack} when the text may nest deeper than {@link
   * JsonWriter#INLINE_DEPTH}: reading and converting recurse once or twice a level.
   */
  public static <T> T onSufficientStack(String text, java.util.function.Supplier<T> work) {
    return dev.gatehouse.cedar.DeepStack.callIf(!dev.gatehouse.cedar.DeepStack.active()
        && mayNestDeeperThan(text, JsonWriter.INLINE_DEPTH), work);
  }

  /** Whether {@code text} opens more than {@code limit} arrays and objects at once; a char scan. */
  static boolean mayNestDeeperThan(String text, int limit) {
    int open = 0;
    boolean inString = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '[' || c == '{') {
        if (++open > limit) {
          return true;
        }
      } else if (c == ']' || c == '}') {
        open = Math.max(0, open - 1);
      }
    }
    return false;
  }

  private static Json parseHere(String text) {
    JsonReader r = new JsonReader(text);
    r.ws();
    Json v = r.value();
    r.ws();
    if (r.pos < text.length()) {
      throw r.error("trailing characters after JSON value");
    }
    return v;
  }

  private Json value() {
    if (pos >= src.length()) {
      throw error("unexpected end of JSON input");
    }
    char c = src.charAt(pos);
    int at = pos;
    switch (c) {
      case '{' -> {
        enter();
        pos++;
        Map<String, Json> fields = new LinkedHashMap<>();
        ws();
        if (peek() == '}') {
          pos++;
          depth--;
          return new Json.Obj(fields, at);
        }
        while (true) {
          ws();
          if (peek() != '"') {
            throw error("expected a string key in JSON object");
          }
          int keyAt = pos;
          String key = string();
          ws();
          expect(':');
          ws();
          Json v = value();
          if (fields.putIfAbsent(key, v) != null) {
            pos = keyAt;
            throw error("duplicate key `" + key + "` in JSON object");
          }
          ws();
          if (peek() == ',') {
            pos++;
            continue;
          }
          expect('}');
          depth--;
          return new Json.Obj(fields, at);
        }
      }
      case '[' -> {
        enter();
        pos++;
        List<Json> items = new ArrayList<>();
        ws();
        if (peek() == ']') {
          pos++;
          depth--;
          return new Json.Arr(items, at);
        }
        while (true) {
          ws();
          items.add(value());
          ws();
          if (peek() == ',') {
            pos++;
            continue;
          }
          expect(']');
          depth--;
          return new Json.Arr(items, at);
        }
      }
      case '"' -> {
        return new Json.Str(string(), at);
      }
      case 't' -> {
        word("true");
        return new Json.Bool(true, at);
      }
      case 'f' -> {
        word("false");
        return new Json.Bool(false, at);
      }
      case 'n' -> {
        word("null");
        return new Json.Null(at);
      }
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character `" + c + "` in JSON");
      }
    }
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw error("JSON nesting exceeds the limit of " + MAX_DEPTH);
    }
  }

  private Json number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (peek() >= '1' && peek() <= '9') {
      while (peek() >= '0' && peek() <= '9') {
        pos++;
      }
    } else {
      throw error("invalid JSON number");
    }
    if (peek() == '.') {
      pos++;
      if (!(peek() >= '0' && peek() <= '9')) {
        throw error("invalid JSON number");
      }
      while (peek() >= '0' && peek() <= '9') {
        pos++;
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!(peek() >= '0' && peek() <= '9')) {
        throw error("invalid JSON number");
      }
      while (peek() >= '0' && peek() <= '9') {
        pos++;
      }
    }
    return new Json.Num(src.substring(start, pos), start);
  }

  private String string() {
    expect('"');
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= src.length()) {
        throw error("unterminated JSON string");
      }
      char c = src.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("control character in JSON string");
      }
      if (c != '\\') {
        if (Character.isSurrogate(c)) {
          // Raw surrogates must come as a valid pair.
          if (Character.isHighSurrogate(c) && pos < src.length() && Character.isLowSurrogate(src.charAt(pos))) {
            b.append(c).append(src.charAt(pos++));
            continue;
          }
          throw error("invalid UTF-16 surrogate in JSON string");
        }
        b.append(c);
        continue;
      }
      if (pos >= src.length()) {
        throw error("unterminated JSON string");
      }
      char e = src.charAt(pos++);
      switch (e) {
        case '"' -> b.append('"');
        case '\\' -> b.append('\\');
        case '/' -> b.append('/');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          char u = hex4();
          if (Character.isHighSurrogate(u)) {
            if (src.startsWith("\\u", pos)) {
              pos += 2;
              char low = hex4();
              if (!Character.isLowSurrogate(low)) {
                throw error("lone leading surrogate in hex escape");
              }
              b.append(u).append(low);
            } else {
              throw error("lone leading surrogate in hex escape");
            }
          } else if (Character.isLowSurrogate(u)) {
            throw error("lone trailing surrogate in hex escape");
          } else {
            b.append(u);
          }
        }
        default -> {
          pos--;
          throw error("invalid escape in JSON string");
        }
      }
    }
  }

  private char hex4() {
    if (pos + 4 > src.length()) {
      throw error("invalid unicode escape in JSON string");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(src.charAt(pos + i), 16);
      if (d < 0 || src.charAt(pos + i) > 'f') {
        throw error("invalid unicode escape in JSON string");
      }
      v = v * 16 + d;
    }
    pos += 4;
    return (char) v;
  }

  private void word(String w) {
    if (!src.startsWith(w, pos)) {
      throw error("invalid JSON literal");
    }
    pos += w.length();
  }

  private char peek() {
    return pos < src.length() ? src.charAt(pos) : '\0';
  }

  private void expect(char c) {
    if (peek() != c || pos >= src.length()) {
      throw error("expected `" + c + "` in JSON");
    }
    pos++;
  }

  private void ws() {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else {
        return;
      }
    }
  }

  private ParseException error(String msg) {
    return ParseException.at(src, pos, msg);
  }
}
