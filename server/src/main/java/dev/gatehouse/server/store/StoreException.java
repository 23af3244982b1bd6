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
    // SQLState 23505 is a unique violation in both H2 and PostgreSQL. The rest of class 23 (not
    // null, foreign key, check) is a failure, not "already exists" or "already used".
    boolean duplicate = "23505".equals(e.getSQLState());
    return new StoreException(duplicate ? "duplicate key" : "database unavailable", e, duplicate);
  }

  public boolean duplicate() {
    return duplicate;
  }
}
