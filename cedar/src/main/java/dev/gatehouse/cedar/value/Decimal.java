package dev.gatehouse.cedar.value;

/**
 * A Cedar {@code decimal}: a fixed-point number with four digits after the point, stored as the
 * value times 10,000.
 */
public record Decimal(long scaled) implements ExtValue, Comparable<Decimal> {
  private static final int DIGITS = 4;

  /**
   * Parses {@code -?[0-9]+\.[0-9]{1,4}}.
   *
   * @throws IllegalArgumentException with a message when {@code s} is not a decimal in range
   */
  public static Decimal parse(String s) {
    int dot = s.indexOf('.');
    int start = s.startsWith("-") ? 1 : 0;
    if (dot <= start || dot == s.length() - 1 || !digits(s, start, dot) || !digits(s, dot + 1, s.length())) {
      throw new IllegalArgumentException("`" + s + "` is not a well-formed decimal value");
    }
    String frac = s.substring(dot + 1);
    if (frac.length() > DIGITS) {
      throw new IllegalArgumentException("too many digits after the decimal in `" + s + "`");
    }
    try {
      long l = Math.multiplyExact(Long.parseLong(s.substring(0, dot)), 10_000L);
      long r = Long.parseLong(frac) * pow10(DIGITS - frac.length());
      // Cedar adds the fraction when the integer part is >= 0 (so "-0.5" is 0.5), as upstream does.
      return new Decimal(l >= 0 ? Math.addExact(l, r) : Math.subtractExact(l, r));
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("overflow when converting to decimal");
    }
  }

  private static boolean digits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return to > from;
  }

  private static long pow10(int n) {
    long r = 1;
    for (int i = 0; i < n; i++) {
      r *= 10;
    }
    return r;
  }

  @Override
  public int compareTo(Decimal o) {
    return Long.compare(scaled, o.scaled);
  }

  @Override
  public String typeName() {
    return "decimal";
  }

  @Override
  public String constructor() {
    return "decimal";
  }

  @Override
  public String constructorArg() {
    long whole = scaled / 10_000;
    long frac = Math.abs(scaled % 10_000);
    String sign = scaled < 0 && whole == 0 ? "-" : "";
    return sign + whole + "." + String.format("%04d", frac);
  }

  @Override
  public String toString() {
    return "decimal(\"" + constructorArg() + "\")";
  }
}
