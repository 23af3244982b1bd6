package dev.gatehouse.cedar.value;

/** A Cedar {@code duration}: a signed number of milliseconds. */
public record Duration(long millis) implements ExtValue, Comparable<Duration> {
  /**
   * Parses {@code -?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?}, not empty.
   *
   * @throws IllegalArgumentException when malformed or out of the 64-bit range
   */
  public static Duration parse(String s) {
    boolean neg = s.startsWith("-");
    int i = neg ? 1 : 0;
    if (i >= s.length()) {
      throw new IllegalArgumentException("invalid duration pattern");
    }
    // units in required order; each at most once
    String[] units = {"d", "h", "m", "s", "ms"};
    long[] mult = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
    long[] qty = new long[5];
    boolean[] seen = new boolean[5];
    boolean overflow = false;
    int nextUnit = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      if (i == start) {
        throw new IllegalArgumentException("invalid duration pattern");
      }
      String num = s.substring(start, i);
      String unit;
      if (s.startsWith("ms", i)) {
        unit = "ms";
      } else if (i < s.length() && "dhms".indexOf(s.charAt(i)) >= 0) {
        unit = String.valueOf(s.charAt(i));
      } else {
        throw new IllegalArgumentException("invalid duration pattern");
      }
      i += unit.length();
      int u = java.util.List.of(units).indexOf(unit);
      if (u < nextUnit) {
        throw new IllegalArgumentException("invalid duration pattern");
      }
      nextUnit = u + 1;
      seen[u] = true;
      try {
        qty[u] = Long.parseLong(num);
      } catch (NumberFormatException e) {
        overflow = true;
      }
    }
    if (overflow) {
      throw new IllegalArgumentException("duration overflows internal representation");
    }
    try {
      long ms = neg ? -qty[4] : qty[4];
      for (int u = 3; u >= 0; u--) {
        long part = Math.multiplyExact(qty[u], mult[u]);
        ms = neg ? Math.subtractExact(ms, part) : Math.addExact(ms, part);
      }
      return new Duration(ms);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("duration overflows internal representation");
    }
  }

  @Override
  public int compareTo(Duration o) {
    return Long.compare(millis, o.millis);
  }

  @Override
  public String typeName() {
    return "duration";
  }

  @Override
  public String constructor() {
    return "duration";
  }

  @Override
  public String constructorArg() {
    return millis + "ms";
  }

  @Override
  public String toString() {
    return "duration(\"" + constructorArg() + "\")";
  }
}
