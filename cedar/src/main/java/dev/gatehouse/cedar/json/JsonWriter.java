package dev.gatehouse.cedar.json;

import dev.gatehouse.cedar.DeepStack;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes {@link Json} trees as compact or indented JSON text.
 *
 * <p>Writing recurses once per level; a tree deeper than {@link #INLINE_DEPTH} (the JSON form of a
 * deeply nested policy has two levels per expression) is written on the {@link DeepStack}.
 */
public final class JsonWriter {
  /** Levels a caller's stack is trusted with; deeper JSON is written or read on the {@link DeepStack}. */
  public static final int INLINE_DEPTH = 64;

  private JsonWriter() {}

  /** Returns compact JSON. */
  public static String write(Json j) {
    return written(j, -1);
  }

  /** Returns JSON indented by two spaces per level. */
  public static String writePretty(Json j) {
    return written(j, 2);
  }

  private static String written(Json j, int indent) {
    return DeepStack.callIf(!DeepStack.active() && Json.deeperThan(j, INLINE_DEPTH), () -> {
      StringBuilder b = new StringBuilder();
      write(j, b, indent, 0);
      return b.toString();
    });
  }

  private static void write(Json j, StringBuilder b, int indent, int level) {
    switch (j) {
      case Json.Null n -> b.append("null");
      case Json.Bool x -> b.append(x.value());
      case Json.Num x -> b.append(x.text());
      case Json.Str x -> quote(x.value(), b);
      case Json.Arr a -> {
        if (a.items().isEmpty()) {
          b.append("[]");
          return;
        }
        b.append('[');
        for (int i = 0; i < a.items().size(); i++) {
          if (i > 0) {
            b.append(',');
          }
          newline(b, indent, level + 1);
          write(a.items().get(i), b, indent, level + 1);
        }
        newline(b, indent, level);
        b.append(']');
      }
      case Json.Obj o -> {
        if (o.fields().isEmpty()) {
          b.append("{}");
          return;
        }
        b.append('{');
        Iterator<Map.Entry<String, Json>> it = o.fields().entrySet().iterator();
        boolean first = true;
        while (it.hasNext()) {
          Map.Entry<String, Json> e = it.next();
          if (!first) {
            b.append(',');
          }
          first = false;
          newline(b, indent, level + 1);
          quote(e.getKey(), b);
          b.append(indent >= 0 ? ": " : ":");
          write(e.getValue(), b, indent, level + 1);
        }
        newline(b, indent, level);
        b.append('}');
      }
    }
  }

  private static void newline(StringBuilder b, int indent, int level) {
    if (indent >= 0) {
      b.append('\n');
      b.append(" ".repeat(indent * level));
    }
  }

  /** Appends {@code s} as a JSON string literal. */
  public static void quote(String s, StringBuilder b) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
