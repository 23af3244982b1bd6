package dev.gatehouse.cedar.parser;

import dev.gatehouse.cedar.ParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Cedar lexer: splits policy text into tokens, skipping whitespace and {@code //} comments.
 *
 * <p>Token shapes follow Cedar's grammar: identifiers {@code [_a-zA-Z][_a-zA-Z0-9]*}, unsigned
 * integers, double-quoted strings whose escapes are resolved later by {@link Unescaper}, slots
 * {@code ?name}, and punctuation.
 */
final class Lexer {
  private static final String TWO_CHAR = "::==!=<=>=&&||";

  private Lexer() {}

  static List<Token> tokenize(String src) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = src.length();
    while (true) {
      // skip whitespace and comments
      while (i < n) {
        char c = src.charAt(i);
        if (isWhitespace(c)) {
          i++;
        } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
          while (i < n && src.charAt(i) != '\n' && src.charAt(i) != '\r') {
            i++;
          }
        } else {
          break;
        }
      }
      if (i >= n) {
        out.add(new Token(Token.Kind.EOF, "", n));
        return out;
      }
      int start = i;
      char c = src.charAt(i);
      if (isIdentStart(c)) {
        i++;
        while (i < n && isIdentPart(src.charAt(i))) {
          i++;
        }
        out.add(new Token(Token.Kind.IDENT, src.substring(start, i), start));
      } else if (c >= '0' && c <= '9') {
        while (i < n && src.charAt(i) >= '0' && src.charAt(i) <= '9') {
          i++;
        }
        out.add(new Token(Token.Kind.INT, src.substring(start, i), start));
      } else if (c == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw ParseException.at(src, start, "unterminated string literal");
          }
          char d = src.charAt(i);
          if (d == '"') {
            i++;
            break;
          }
          if (d == '\\') {
            if (i + 1 >= n || src.charAt(i + 1) == '\n') {
              throw ParseException.at(src, i, "invalid escape in string literal");
            }
            i += 2;
          } else {
            i++;
          }
        }
        out.add(new Token(Token.Kind.STRING, src.substring(start, i), start));
      } else if (c == '?') {
        i++;
        if (i >= n || !isIdentStart(src.charAt(i))) {
          throw ParseException.at(src, start, "unexpected character `?`");
        }
        while (i < n && isIdentPart(src.charAt(i))) {
          i++;
        }
        out.add(new Token(Token.Kind.SLOT, src.substring(start, i), start));
      } else {
        if (i + 1 < n) {
          String two = src.substring(i, i + 2);
          int at = TWO_CHAR.indexOf(two);
          if (at >= 0 && at % 2 == 0) {
            out.add(new Token(Token.Kind.PUNCT, two, start));
            i += 2;
            continue;
          }
        }
        if ("@.,;:(){}[]<>+-*/%!=".indexOf(c) >= 0) {
          out.add(new Token(Token.Kind.PUNCT, String.valueOf(c), start));
          i++;
        } else {
          int cp = src.codePointAt(i);
          throw ParseException.at(src, start, "unexpected character `" + new String(Character.toChars(cp)) + "`");
        }
      }
    }
  }

  private static boolean isIdentStart(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isIdentPart(char c) {
    return isIdentStart(c) || (c >= '0' && c <= '9');
  }

  /** Unicode White_Space, as Rust's {@code \s} matches it. */
  static boolean isWhitespace(char c) {
    return (c >= 0x09 && c <= 0x0d)
        || c == ' '
        || c == 0x85
        || c == 0xa0
        || c == 0x1680
        || (c >= 0x2000 && c <= 0x200a)
        || c == 0x2028
        || c == 0x2029
        || c == 0x202f
        || c == 0x205f
        || c == 0x3000;
  }
}
