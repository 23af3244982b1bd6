package dev.gatehouse.server.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock in UTC that stands still until the test moves it: expiry and windows are then tested
 * at the exact second, without sleeping.
 */
public final class MutableClock extends Clock {

  private volatile Instant now;

  /** A clock reading {@code start} until moved. */
  public MutableClock(Instant start) {
    this.now = start;
  }

  /** A clock reading {@code epochSecond} until moved. */
  public static MutableClock atEpochSecond(long epochSecond) {
    return new MutableClock(Instant.ofEpochSecond(epochSecond));
  }

  /** Moves the clock by {@code d} (backwards if negative). */
  public void advance(Duration d) {
    now = now.plus(d);
  }

  /** Sets the clock to {@code epochSecond}. */
  public void set(long epochSecond) {
    now = Instant.ofEpochSecond(epochSecond);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
