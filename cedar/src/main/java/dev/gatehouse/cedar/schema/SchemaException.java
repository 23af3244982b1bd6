package dev.gatehouse.cedar.schema;

import dev.gatehouse.cedar.CedarException;

/**
 * A schema that cannot be parsed or is not well formed (an undeclared type, a cycle among
 * action groups, a duplicate declaration).
 *
 * <p>The message starts with {@code line:column:} when the problem has a place in the source.
 */
public final class SchemaException extends CedarException {
  private static final long serialVersionUID = 1L;
  private final int line;
  private final int column;

  /** A problem at a place in the schema text; lines and columns count from 1. */
  public SchemaException(int line, int column, String message) {
    super(line + ":" + column + ": " + message);
    this.line = line;
    this.column = column;
  }

  /** A problem with the schema as a whole (no single place to point at). */
  public SchemaException(String message) {
    super(message);
    this.line = 0;
    this.column = 0;
  }

  /** The line of the problem, from 1, or 0 when unknown. */
  public int line() {
    return line;
  }

  /** The column of the problem, from 1, or 0 when unknown. */
  public int column() {
    return column;
  }
}
