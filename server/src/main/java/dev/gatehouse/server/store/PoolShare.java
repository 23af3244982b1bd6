package dev.gatehouse.server.store;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A bulkhead in front of the connection pool: at most {@code connections} of the pool's
 * connections are held at once by work bound to this share, so that a flood of one kind of request
 * (introspections that each read a revocation) cannot take every connection and make the rest
 * (sign-in, which cannot work without the database) wait behind it until the pool times out.
 *
 * <p>The share is bound to the calling thread for the duration of a request ({@link #run}); every
 * {@link Jdbc} call that takes a connection on that thread takes a permit first and gives it back
 * with the connection. A call made while the thread already holds a permit (a nested call) takes
 * no second one. A permit not free within {@link Database#CONNECTION_TIMEOUT} fails the call as
 * {@link StoreException#busy busy}: 503 to the client, not counted against the database's circuit
 * breaker (the database is fine; this node is loaded).
 */
public final class PoolShare {

  /** The share bound to this thread and how deep its calls are nested. */
  private static final class Binding {
    final PoolShare share;
    int depth;

    Binding(PoolShare share) {
      this.share = share;
    }
  }

  private static final ThreadLocal<Binding> BOUND = new ThreadLocal<>();

  private final String name;
  private final int connections;
  private final Semaphore permits;
  private final long waitNanos;

  /** A share named {@code name} (for errors) of {@code connections} connections. */
  public PoolShare(String name, int connections) {
    this(name, connections, Database.CONNECTION_TIMEOUT);
  }

  PoolShare(String name, int connections, Duration wait) {
    if (connections < 1) {
      throw new IllegalArgumentException("a pool share needs at least one connection");
    }
    this.name = name;
    this.connections = connections;
    this.permits = new Semaphore(connections, true);
    this.waitNanos = wait.toNanos();
  }

  /**
   * The share for work that must leave {@code reserved} of a pool of {@code poolSize}
   * connections to others: {@code poolSize - reserved}, at least one.
   */
  public static PoolShare leaving(String name, int poolSize, int reserved) {
    return new PoolShare(name, Math.max(1, poolSize - reserved));
  }

  /** Runs {@code work} with this thread's database calls bounded by this share. */
  public void run(Runnable work) {
    Binding outer = BOUND.get();
    BOUND.set(new Binding(this));
    try {
      work.run();
    } finally {
      if (outer == null) {
        BOUND.remove();
      } else {
        BOUND.set(outer);
      }
    }
  }

  /**
   * The share bound to this thread while it holds none of its connections (null otherwise): work
   * handed to another thread on this thread's behalf may take it there. A thread that holds a
   * permit and waits for such work must not make it wait for a second one.
   */
  public static PoolShare current() {
    Binding b = BOUND.get();
    return b == null || b.depth > 0 ? null : b.share;
  }

  /** Connections the share's work holds now. */
  public int inUse() {
    return connections - permits.availablePermits();
  }

  /**
   * Takes a permit of the share bound to this thread, if any, before a connection is taken; true
   * when one was taken (and {@link #exit} must give it back).
   */
  static boolean enter() {
    Binding b = BOUND.get();
    if (b == null) {
      return false;
    }
    if (b.depth > 0) {
      b.depth++;
      return true;
    }
    boolean got;
    try {
      got = b.share.permits.tryAcquire() || b.share.permits.tryAcquire(b.share.waitNanos,
          TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      got = false;
    }
    if (!got) {
      throw StoreException.busy("the " + b.share.name + " requests' share of the database"
          + " connections (" + b.share.connections + ") is in use");
    }
    b.depth = 1;
    return true;
  }

  /** Gives back what {@link #enter} took when it returned true. */
  static void exit(boolean entered) {
    if (!entered) {
      return;
    }
    Binding b = BOUND.get();
    if (--b.depth == 0) {
      b.share.permits.release();
    }
  }
}
