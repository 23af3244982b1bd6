package dev.gatehouse.cedar.ast;

/** Binary operators and built-in two-argument methods. */
public enum BinaryOp {
  EQ("=="),
  NEQ("!="),
  LT("<"),
  LE("<="),
  GT(">"),
  GE(">="),
  IN("in"),
  ADD("+"),
  SUB("-"),
  MUL("*"),
  CONTAINS("contains"),
  CONTAINS_ALL("containsAll"),
  CONTAINS_ANY("containsAny"),
  GET_TAG("getTag"),
  HAS_TAG("hasTag");

  private final String text;

  BinaryOp(String text) {
    this.text = text;
  }

  /** Returns the operator symbol, or the method name for method-style operators. */
  public String text() {
    return text;
  }

  /** Returns whether this is written as a method call {@code a.op(b)}. */
  public boolean isMethod() {
    return Character.isLetter(text.charAt(0)) && this != IN;
  }
}
