package dev.gatehouse.cedar.ast;

/** Unary operators. */
public enum UnaryOp {
  /** {@code !e}. */
  NOT,
  /** {@code -e}, overflow is an error. */
  NEG,
  /** {@code e.isEmpty()}. */
  IS_EMPTY
}
