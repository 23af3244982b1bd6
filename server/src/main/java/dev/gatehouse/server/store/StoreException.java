package dev.gatehouse.server.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * A storage failure. {@link #duplicate()} tells a unique-key violation (a conflict the caller can
 * report) from an outage (the database is unreachable: 503).
 */
public final class StoreException extends RuntimeException {

  private final boolean duplicate;
  private final boolean outage;
  private final boolean busy;

  private StoreException(String message, Throwable cause, boolean duplicate, boolean outage,
      boolean busy) {
    super(message, cause);
    this.duplicate = duplicate;
    this.outage = outage;
    this.busy = busy;
  }

  static StoreException from(SQLException e) {
    if (poolSaturated(e)) {
      return new StoreException("database connections all in use", e, false, true, true);
    }
    // SQLState 23505 is a unique violation in both H2 and PostgreSQL. The rest of class 23 (not
    // null, foreign key, check) is a failure, not "already exists" or "already used".
    boolean duplicate = "23505".equals(e.getSQLState());
    return new StoreException(duplicate ? "duplicate key" : "database unavailable", e, duplicate,
        !duplicate && isOutage(e), false);
  }

  /**
   * Whether {@code e} is the pool's time-out while every connection was at work and the database
   * answered: HikariCP's {@link SQLTransientConnectionException} carries the last failure to
   * connect as its cause, and none when the last attempt succeeded (or none was needed).
   */
  static boolean poolSaturated(SQLException e) {
    return e instanceof SQLTransientConnectionException && e.getCause() == null
        && e.getNextException() == null;
  }

  /**
   * This node has no connection free for the caller within its wait bound, while the database
   * answers: 503 like an outage, but no evidence against the database (its breaker ignores it).
   */
  public static StoreException busy(String message) {
    return new StoreException(message, null, false, true, true);
  }

  /** The database is known to be down (its circuit breaker is open): nothing was tried. */
  public static StoreException unavailable(Throwable cause) {
    return new StoreException("database unavailable", cause, false, true, false);
  }

  /**
   * The database is too far behind to take more work within the caller's wait bound (the event
   * writer's queue stayed full): answered as 503, like an outage, and nothing was lost.
   */
  public static StoreException overloaded(String message) {
    return new StoreException(message, null, false, true, false);
  }

  /**
   * Whether {@code e} says the database could not be reached or went away (class 08, connection
   * exception; 57P01-57P03, shutting down or starting up; 53300, too many connections; 25006, a
   * standby that refuses writes; a pool timeout), as opposed to a statement it refused.
   */
  static boolean isOutage(SQLException e) {
    if (e instanceof SQLTransientConnectionException || e instanceof SQLRecoverableException
        || e instanceof SQLNonTransientConnectionException) {
      return true;
    }
    String state = e.getSQLState();
    // 25006: a write on a read-only connection, i.e. a standby: the primary it was opened to
    // was demoted or a failover is under way; a connection to the new primary will take it.
    return state == null || state.startsWith("08") || state.startsWith("57P")
        || state.equals("53300") || state.equals("25006");
  }

  public boolean duplicate() {
    return duplicate;
  }

  /**
   * True when the database could not serve the call (unreachable, or no connection free in time),
   * rather than refusing a statement: the caller answers 503 and may be retried.
   */
  public boolean outage() {
    return outage;
  }

  /** True when the call found every connection of this node at work: load, not an outage. */
  public boolean busy() {
    return busy;
  }
}
