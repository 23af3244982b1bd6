package dev.gatehouse.cedar.ast;

/** One of the four request variables. */
public enum Var {
  PRINCIPAL("principal"),
  ACTION("action"),
  RESOURCE("resource"),
  CONTEXT("context");

  private final String text;

  Var(String text) {
    this.text = text;
  }

  /** Returns the variable's name as written in policy text. */
  public String text() {
    return text;
  }
}
