package dev.gatehouse.cedar.ast;

/** A template slot, {@code ?principal} or {@code ?resource}, filled in when a template is linked. */
public enum Slot implements EntityRef {
  PRINCIPAL("?principal"),
  RESOURCE("?resource");

  private final String text;

  Slot(String text) {
    this.text = text;
  }

  /** Returns the slot as written in policy text, e.g. {@code ?principal}. */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }
}
