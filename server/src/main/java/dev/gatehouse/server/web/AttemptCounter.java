package dev.gatehouse.server.web;

import java.time.Duration;

/**
 * Where {@link LoginThrottle} keeps its counts: failures per account and per address, and locks.
 * In this node's memory ({@link InMemoryAttemptCounter}) or in Redis ({@link
 * RedisAttemptCounter}), so that a lockout holds on every node behind the load balancer.
 */
public interface AttemptCounter {

  /**
   * Adds one to {@code key} and returns the new count. A new key expires {@code ttl} after its
   * first increment (a fixed window); with {@code slide} every increment restarts that time.
   */
  long increment(String key, Duration ttl, boolean slide);

  /**
   * Takes one back from {@code key} (a refunded reservation), never below zero and without
   * changing when it expires; nothing when it is absent.
   */
  void decrement(String key);

  /** The count of {@code key}, 0 when absent or expired. */
  long count(String key);

  /** Forgets {@code key}. */
  void reset(String key);
}
