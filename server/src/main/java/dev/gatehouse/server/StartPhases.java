package dev.gatehouse.server;

import java.util.StringJoiner;

/**
 * How long each step of a node's start took, for the "ready" log line: an operator whose node
 * starts slowly sees where the time went (the database, the bootstrap's key generation, ...)
 * without a profiler.
 */
final class StartPhases {

  private final long t0 = System.nanoTime();
  private long last = t0;
  private final StringJoiner phases = new StringJoiner(", ");


  /** Ends the phase called {@code name}, which began where the previous one ended. */
  void end(String name) {
    long now = System.nanoTime();
    phases.add(name + " " + (now - last) / 1_000_000);
    last = now;
  }

  long totalMillis() {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /** {@code database 412, services 230, ...} (milliseconds). */
  @Override
  public String toString() {
    return phases.toString();
  }
}
