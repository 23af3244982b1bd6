package dev.gatehouse.cedar.value;

/** A Cedar boolean; use {@link #of} to share the two instances. */
public record BoolValue(boolean value) implements Value {
  public static final BoolValue TRUE = new BoolValue(true);
  public static final BoolValue FALSE = new BoolValue(false);

  /** Returns the shared instance for {@code b}. */
  public static BoolValue of(boolean b) {
    return b ? TRUE : FALSE;
  }

  @Override
  public String typeName() {
    return "bool";
  }

  @Override
  public String toString() {
    return Boolean.toString(value);
  }
}
