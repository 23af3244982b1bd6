package dev.gatehouse.cedar.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed JSON value. Each node remembers the offset where it started in the source text ({@code
 * -1} for built nodes), so later checks can report a line and column.
 */
public sealed interface Json {
  /** Returns the source offset, or -1. */
  int at();

  /** {@code null}. */
  record Null(int at) implements Json {}

  /** {@code true} or {@code false}. */
  record Bool(boolean value, int at) implements Json {}

  /** A number, kept as its source text so that integers stay exact. */
  record Num(String text, int at) implements Json {
    /** Returns the value as a long, or throws NumberFormatException if not an integer in range. */
    public long longValue() {
      return Long.parseLong(text);
    }
  }

  /** A string. */
  record Str(String value, int at) implements Json {}

  /** An array. */
  record Arr(List<Json> items, int at) implements Json {
    public Arr {
      items = List.copyOf(items);
    }
  }

  /** An object; keys are unique and keep their order. */
  record Obj(Map<String, Json> fields, int at) implements Json {
    public Obj {
      fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Returns the field, or null. */
    public Json get(String key) {
      return fields.get(key);
    }
  }

  /** Returns a string node without position. */
  static Json str(String s) {
    return new Str(s, -1);
  }

  /** Returns a number node without position. */
  static Json num(long n) {
    return new Num(Long.toString(n), -1);
  }

  /** Returns a boolean node without position. */
  static Json bool(boolean b) {
    return new Bool(b, -1);
  }

  /** Returns an array node without position. */
  static Json arr(List<Json> items) {
    return new Arr(items, -1);
  }

  /** Returns an object node without position. */
  static Json obj(Map<String, Json> fields) {
    return new Obj(fields, -1);
  }

  /**
   * Whether {@code root} nests arrays and objects more than {@code limit} deep; iterative, so
   * callers can decide where to recurse over it ({@link dev.gatehouse.cedar.DeepStack}).
   */
  static boolean deeperThan(Json root, int limit) {
    java.util.ArrayDeque<Object[]> todo = new java.util.ArrayDeque<>();
    todo.push(new Object[] {root, 0});
    while (!todo.isEmpty()) {
      Object[] top = todo.pop();
      int d = (Integer) top[1];
      if (d > limit) {
        return true;
      }
      if (top[0] instanceof Arr a) {
        a.items().forEach(x -> todo.push(new Object[] {x, d + 1}));
      } else if (top[0] instanceof Obj o) {
        o.fields().values().forEach(x -> todo.push(new Object[] {x, d + 1}));
      }
    }
    return false;
  }
}
