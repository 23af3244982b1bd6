package dev.gatehouse.cedar.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * The tokenizer of the Cedar schema syntax: identifiers, string literals, punctuation, with
 * {@code //} comments and whitespace skipped.
 *
 * <p>String literals use Cedar's escapes ({@code \n \r \t \\ \0 \' \"} and {@code \}u{hex}}),
 * the same as policy text.
 */
final class SchemaLexer {

  /** The kind of a token. */
  enum Kind {
    IDENT,
    STRING,
    PUNCT,
    EOF
  }

  /** One token with the place it starts at (1-based line and column). */
  record Token(Kind kind, String text, int line, int column) {
    boolean is(String punctOrIdent) {
      return (kind == Kind.PUNCT || kind == Kind.IDENT) && text.equals(punctOrIdent);
    }

    String describe() {
      return switch (kind) {
        case EOF -> "end of input";
        case STRING -> "string literal";
        default -> "`" + text + "`";
      };
    }
  }

  /** Upper bound on the number of tokens, so that hostile input cannot exhaust memory. */
  static final int MAX_TOKENS = 1_000_000;

  private final String src;
  private int pos;
  private int line = 1;
  private int lineStart;

  private SchemaLexer(String src) {
    this.src = src;
  }

  /** Splits schema text into tokens, ending with one {@link Kind#EOF} token. */
  static List<Token> tokenize(String src) {
    return new SchemaLexer(src).run();
  }

  private List<Token> run() {
    List<Token> out = new ArrayList<>();
    while (true) {
      skipSpaceAndComments();
      int col = pos - lineStart + 1;
      if (pos >= src.length()) {
        out.add(new Token(Kind.EOF, "", line, col));
        return out;
      }
      if (out.size() >= MAX_TOKENS) {
        throw new SchemaException(line, col, "schema is too large");
      }
      char c = src.charAt(pos);
      if (c == '_' || isAsciiLetter(c)) {
        int start = pos;
        while (pos < src.length() && (src.charAt(pos) == '_' || isAsciiLetter(src.charAt(pos))
            || (src.charAt(pos) >= '0' && src.charAt(pos) <= '9'))) {
          pos++;
        }
        out.add(new Token(Kind.IDENT, src.substring(start, pos), line, col));
      } else if (c == '"') {
        int l = line;
        out.add(new Token(Kind.STRING, readString(), l, col));
      } else if (c == ':' && pos + 1 < src.length() && src.charAt(pos + 1) == ':') {
        pos += 2;
        out.add(new Token(Kind.PUNCT, "::", line, col));
      } else if ("{}[]<>(),;:=?@".indexOf(c) >= 0) {
        pos++;
        out.add(new Token(Kind.PUNCT, String.valueOf(c), line, col));
      } else {
        throw new SchemaException(line, col, "unexpected character `" + Character.toString(src.codePointAt(pos)) + "`");
      }
    }
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private void skipSpaceAndComments() {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '\n') {
        pos++;
        line++;
        lineStart = pos;
      } else if (Character.isWhitespace(c)) {
        pos++;
      } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '/') {
        while (pos < src.length() && src.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  private String readString() {
    int startLine = line;
    int startCol = pos - lineStart + 1;
    pos++; // opening quote
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= src.length()) {
        throw new SchemaException(startLine, startCol, "unterminated string literal");
      }
      char c = src.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c == '\n') {
        line++;
        lineStart = pos;
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (pos >= src.length()) {
        throw new SchemaException(startLine, startCol, "unterminated string literal");
      }
      char e = src.charAt(pos++);
      switch (e) {
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case '\\' -> b.append('\\');
        case '0' -> b.append('\0');
        case '\'' -> b.append('\'');
        case '"' -> b.append('"');
        case 'u' -> b.appendCodePoint(readUnicodeEscape(startLine, startCol));
        default -> throw new SchemaException(startLine, startCol, "invalid escape `\\" + e + "` in string literal");
      }
    }
  }

  private int readUnicodeEscape(int startLine, int startCol) {
    if (pos >= src.length() || src.charAt(pos) != '{') {
      throw new SchemaException(startLine, startCol, "invalid unicode escape in string literal");
    }
    int close = src.indexOf('}', pos);
    if (close < 0 || close - pos - 1 < 1 || close - pos - 1 > 6) {
      throw new SchemaException(startLine, startCol, "invalid unicode escape in string literal");
    }
    String hex = src.substring(pos + 1, close);
    // Hex digits only: Integer.parseInt would also take a sign, and `-17` is no code point.
    int cp = 0;
    for (int i = 0; i < hex.length(); i++) {
      int d = Character.digit(hex.charAt(i), 16);
      if (d < 0 || hex.charAt(i) > 'f') {
        throw new SchemaException(startLine, startCol, "invalid unicode escape `\\u{" + hex + "}` in string literal");
      }
      cp = cp * 16 + d;
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      throw new SchemaException(startLine, startCol, "invalid unicode escape `\\u{" + hex + "}` in string literal");
    }
    pos = close + 1;
    return cp;
  }
}
