package dev.gatehouse.cedar.ast;

/** A policy's effect: {@code permit} or {@code forbid}. */
public enum Effect {
  PERMIT("permit"),
  FORBID("forbid");

  private final String text;

  Effect(String text) {
    this.text = text;
  }

  /** Returns the effect keyword. */
  public String text() {
    return text;
  }
}
