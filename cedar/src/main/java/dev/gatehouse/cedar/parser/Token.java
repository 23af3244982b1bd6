package dev.gatehouse.cedar.parser;

/**
 * A lexical token of Cedar policy text.
 *
 * @param kind what sort of token
 * @param text the token's source text (for strings: with quotes, escapes unresolved)
 * @param start offset of the first character
 */
record Token(Kind kind, String text, int start) {
  enum Kind {
    IDENT,
    INT,
    STRING,
    SLOT,
    PUNCT,
    EOF
  }

  boolean is(String punctOrWord) {
    return (kind == Kind.PUNCT || kind == Kind.IDENT) && text.equals(punctOrWord);
  }

  String describe() {
    return kind == Kind.EOF ? "end of input" : "`" + text + "`";
  }
}
