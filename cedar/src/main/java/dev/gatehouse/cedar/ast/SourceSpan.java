package dev.gatehouse.cedar.ast;

/**
 * Where a piece of syntax sits in the policy text it was parsed from: character offsets and the
 * 1-based line and column of its first character.
 *
 * <p>Spans are bookkeeping, not meaning: the syntax tree's {@code equals} and {@code hashCode}
 * ignore them, so a policy parsed from text equals the same policy read from JSON (which has no
 * spans) or parsed again from its formatted text. Offsets and columns count UTF-16 code units, as
 * {@link String#charAt} does; lines are separated by {@code \n}.
 *
 * @param start offset of the first character
 * @param end offset just past the last character
 * @param line 1-based line of {@code start}
 * @param column 1-based column of {@code start}
 */
public record SourceSpan(int start, int end, int line, int column) {
  public SourceSpan {
    if (start < 0 || end < start || line < 1 || column < 1) {
      throw new IllegalArgumentException("invalid source span " + start + ".." + end + " at "
          + line + ":" + column);
    }
  }

  /** Returns the span starting where {@code this} starts and ending where {@code last} ends. */
  public SourceSpan to(SourceSpan last) {
    return new SourceSpan(start, Math.max(end, last.end), line, column);
  }

  /** Returns {@code line:column}, the form Cedar tools print before a message. */
  @Override
  public String toString() {
    return line + ":" + column;
  }
}
