package dev.gatehouse.cedar.ast;

import java.util.List;

/**
 * A {@code like} pattern: literal chunks separated by wildcards.
 *
 * <p>{@code "a*b*"} is {@code [a, b, ""]}; a pattern without wildcard is one chunk.
 *
 * @param chunks the literal text between wildcards; never empty
 */
public record Pattern(List<String> chunks) {
  public Pattern {
    chunks = List.copyOf(chunks);
    if (chunks.isEmpty()) {
      throw new IllegalArgumentException("a pattern has at least one chunk");
    }
  }

  /** Returns whether {@code s} matches this pattern in full. */
  public boolean matches(String s) {
    int n = chunks.size();
    String first = chunks.get(0);
    if (n == 1) {
      return s.equals(first);
    }
    String last = chunks.get(n - 1);
    if (!s.startsWith(first) || s.length() < first.length() + last.length() || !s.endsWith(last)) {
      return false;
    }
    int pos = first.length();
    int end = s.length() - last.length();
    // Greedy leftmost matching of middle chunks is correct for `*`-only patterns.
    for (int i = 1; i < n - 1; i++) {
      String c = chunks.get(i);
      int at = s.indexOf(c, pos);
      if (at < 0 || at + c.length() > end) {
        return false;
      }
      pos = at + c.length();
    }
    return true;
  }

  /** Returns the pattern as the inside of a Cedar string literal, with {@code *} escaped in chunks. */
  public String toLiteral() {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < chunks.size(); i++) {
      if (i > 0) {
        b.append('*');
      }
      String q = Names.quote(chunks.get(i));
      b.append(q.substring(1, q.length() - 1).replace("*", "\\*"));
    }
    return b.append('"').toString();
  }
}
