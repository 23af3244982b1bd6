package dev.gatehouse.cedar.value;

import java.time.DateTimeException;
import java.time.LocalDate;

/** A Cedar {@code datetime}: milliseconds since the Unix epoch, without leap seconds. */
public record DateTime(long epochMillis) implements ExtValue, Comparable<DateTime> {
  private static final long DAY = 86_400_000L;

  /**
   * Parses {@code YYYY-MM-DD}, optionally followed by {@code Thh:mm:ss}, optional {@code .SSS}, and
   * {@code Z} or {@code (+|-)hhmm}.
   *
   * @throws IllegalArgumentException when malformed or not a real date or time
   */
  public static DateTime parse(String s) {
    if (s.length() < 10 || !digits(s, 0, 4) || s.charAt(4) != '-' || !digits(s, 5, 7) || s.charAt(7) != '-' || !digits(s, 8, 10)) {
      throw new IllegalArgumentException("invalid date pattern");
    }
    int y = Integer.parseInt(s.substring(0, 4));
    int mo = Integer.parseInt(s.substring(5, 7));
    int d = Integer.parseInt(s.substring(8, 10));
    if (s.length() == 10) {
      return new DateTime(date(s, y, mo, d) * DAY);
    }
    if (s.length() < 19 || s.charAt(10) != 'T' || !digits(s, 11, 13) || s.charAt(13) != ':' || !digits(s, 14, 16) || s.charAt(16) != ':' || !digits(s, 17, 19)) {
      throw new IllegalArgumentException("invalid hour/minute/second pattern");
    }
    int h = Integer.parseInt(s.substring(11, 13));
    int mi = Integer.parseInt(s.substring(14, 16));
    int sec = Integer.parseInt(s.substring(17, 19));
    String rest = s.substring(19);
    int ms = 0;
    if (rest.startsWith(".")) {
      if (rest.length() < 4 || !digits(rest, 1, 4)) {
        throw new IllegalArgumentException("invalid millisecond and/or offset pattern");
      }
      ms = Integer.parseInt(rest.substring(1, 4));
      rest = rest.substring(4);
    }
    long offsetSeconds;
    if (rest.equals("Z")) {
      offsetSeconds = 0;
    } else if (rest.length() == 5 && (rest.charAt(0) == '+' || rest.charAt(0) == '-') && digits(rest, 1, 5)) {
      int oh = Integer.parseInt(rest.substring(1, 3));
      int om = Integer.parseInt(rest.substring(3, 5));
      long days = date(s, y, mo, d); // date errors come before offset errors upstream
      if (h >= 24 || mi >= 60 || sec >= 60) {
        throw new IllegalArgumentException("invalid hour/minute/second");
      }
      if (oh >= 24 || om >= 60) {
        throw new IllegalArgumentException("invalid offset range `" + oh + om + "`");
      }
      offsetSeconds = (rest.charAt(0) == '+' ? 1 : -1) * (oh * 3600L + om * 60L);
      return new DateTime(days * DAY + ((h * 3600L + mi * 60L + sec) * 1000L + ms) - offsetSeconds * 1000L);
    } else {
      throw new IllegalArgumentException("invalid millisecond and/or offset pattern");
    }
    long days = date(s, y, mo, d);
    if (h >= 24 || mi >= 60 || sec >= 60) {
      throw new IllegalArgumentException("invalid hour/minute/second");
    }
    return new DateTime(days * DAY + ((h * 3600L + mi * 60L + sec) * 1000L + ms) - offsetSeconds * 1000L);
  }

  private static long date(String s, int y, int mo, int d) {
    try {
      return LocalDate.of(y, mo, d).toEpochDay();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("invalid date `" + s.substring(0, 10) + "`");
    }
  }

  private static boolean digits(String s, int from, int to) {
    if (to > s.length()) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  @Override
  public int compareTo(DateTime o) {
    return Long.compare(epochMillis, o.epochMillis);
  }

  @Override
  public String typeName() {
    return "datetime";
  }

  @Override
  public String constructor() {
    return "datetime";
  }

  /** Returns an ISO-8601 UTC rendering that {@link #parse} reads back to the same instant. */
  @Override
  public String constructorArg() {
    long days = Math.floorDiv(epochMillis, DAY);
    long rem = Math.floorMod(epochMillis, DAY);
    LocalDate date = LocalDate.ofEpochDay(days);
    return String.format(
        "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
        date.getYear(), date.getMonthValue(), date.getDayOfMonth(),
        rem / 3_600_000, rem / 60_000 % 60, rem / 1000 % 60, rem % 1000);
  }

  @Override
  public String toString() {
    return "datetime(\"" + constructorArg() + "\")";
  }
}
