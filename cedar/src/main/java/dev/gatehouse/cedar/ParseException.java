package dev.gatehouse.cedar;

/**
 * An error in policy text or JSON input, with the 1-based line and column where it was found.
 *
 * <p>The message reads {@code line:column: description}; the description is lowercase and puts user
 * input in backticks.
 */
public class ParseException extends CedarException {
  private static final long serialVersionUID = 1L;
  private final int line;
  private final int column;
  private final String description;

  public ParseException(String description, int line, int column) {
    super(line + ":" + column + ": " + description);
    this.description = description;
    this.line = line;
    this.column = column;
  }

  /** Returns an exception positioned at character {@code offset} of {@code text}. */
  public static ParseException at(String text, int offset, String description) {
    int line = 1;
    int col = 1;
    int end = Math.min(offset, text.length());
    for (int i = 0; i < end; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return new ParseException(description, line, col);
  }

  /** Returns the 1-based line. */
  public int line() {
    return line;
  }

  /** Returns the 1-based column. */
  public int column() {
    return column;
  }

  /** Returns the message without the position. */
  public String description() {
    return description;
  }
}
