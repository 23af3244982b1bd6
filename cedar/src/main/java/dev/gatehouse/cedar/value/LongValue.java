package dev.gatehouse.cedar.value;

/** A Cedar {@code Long}: a signed 64-bit integer; arithmetic overflow is an evaluation error. */
public record LongValue(long value) implements Value {
  private static final LongValue[] SMALL = new LongValue[256];

  static {
    for (int i = 0; i < SMALL.length; i++) {
      SMALL[i] = new LongValue(i - 128);
    }
  }

  /** Returns a value for {@code v}, shared for small numbers. */
  public static LongValue of(long v) {
    return v >= -128 && v < 128 ? SMALL[(int) v + 128] : new LongValue(v);
  }

  @Override
  public String typeName() {
    return "long";
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
