package dev.gatehouse.server.store;

import java.sql.SQLException;

/**
 * A storage failure. {@link #duplicate()} tells a unique-key violation (a conflict the caller can
 * report) from an outage (the database is unreachable: 503).
 */
public final class StoreException extends RuntimeException {

  private final boolean duplicate;

  private StoreException(String message, Throwable cause, boolean duplicate) {
    super(message, cause);
    this.duplicate = duplicate;
  }

  static StoreException from(SQLException e) {
    // SQLState class 23 is an integrity constraint violation in both H2 and PostgreSQL.
    String state = e.getSQLState();
    boolean duplicate = state != null && state.startsWith("23");
    return new StoreException(duplicate ? "duplicate key" : "database unavailable", e, duplicate);
  }

  public boolean duplicate() {
    return duplicate;
  }
}
