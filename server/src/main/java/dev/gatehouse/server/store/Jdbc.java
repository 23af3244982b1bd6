package dev.gatehouse.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A thin layer over JDBC: parameterised statements, row mapping and one place that turns
 * {@link SQLException} into {@link StoreException}.
 *
 * <p>Transactions compose: inside {@link #inTransaction}, every call on this {@code Jdbc} from
 * the same thread (queries, updates, nested {@code inTransaction}) runs on that transaction's
 * connection. So a feature can make a state change through its store and append its events to
 * the outbox through {@code EventSink}, atomically, by calling both inside one
 * {@code inTransaction}, without either store knowing of the other.
 */
public final class Jdbc implements Transactions {

  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Work done on one connection inside one transaction. */
  @FunctionalInterface
  public interface TxWork<T> {
    T run(Connection c) throws SQLException;
  }

  private final DataSource dataSource;
  /** The connection of the transaction this thread is in, if any. */
  private final ThreadLocal<Connection> transaction = new ThreadLocal<>();

  public Jdbc(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
    Connection tx = transaction.get();
    if (tx != null) {
      try {
        return query(tx, sql, mapper, args);
      } catch (SQLException e) {
        throw StoreException.from(e);
      }
    }
    try (Connection c = dataSource.getConnection()) {
      return query(c, sql, mapper, args);
    } catch (SQLException e) {
      throw StoreException.from(e);
    }
  }

  public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... args) {
    List<T> rows = query(sql, mapper, args);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  public int update(String sql, Object... args) {
    Connection tx = transaction.get();
    if (tx != null) {
      try {
        return update(tx, sql, args);
      } catch (SQLException e) {
        throw StoreException.from(e);
      }
    }
    try (Connection c = dataSource.getConnection()) {
      return update(c, sql, args);
    } catch (SQLException e) {
      throw StoreException.from(e);
    }
  }

  /**
   * Runs an insert or update that may break a unique key: the rows it changed, or 0 when the key
   * is taken (the row exists already). Any other failure throws as usual.
   */
  public int updateUnlessDuplicate(String sql, Object... args) {
    Connection tx = transaction.get();
    if (tx != null) {
      // A failed statement aborts a PostgreSQL transaction: take the duplicate back to a
      // savepoint so that the enclosing transaction goes on.
      try {
        Savepoint sp = tx.setSavepoint();
        try {
          int n = update(tx, sql, args);
          tx.releaseSavepoint(sp);
          return n;
        } catch (SQLException e) {
          tx.rollback(sp);
          StoreException se = StoreException.from(e);
          if (se.duplicate()) {
            return 0;
          }
          throw se;
        }
      } catch (SQLException e) {
        throw StoreException.from(e);
      }
    }
    try {
      return update(sql, args);
    } catch (StoreException e) {
      if (e.duplicate()) {
        return 0;
      }
      throw e;
    }
  }

  /**
   * Runs {@code work} in one transaction, committed when it returns, rolled back when it throws.
   * Called inside another transaction on this thread, it joins it: the outer one commits or rolls
   * back the whole.
   */
  public <T> T inTransaction(TxWork<T> work) {
    Connection tx = transaction.get();
    if (tx != null) {
      try {
        return work.run(tx);
      } catch (SQLException e) {
        throw StoreException.from(e);
      }
    }
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      transaction.set(c);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        transaction.remove();
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw StoreException.from(e);
    }
  }

  @Override
  public <T> T atomically(java.util.function.Supplier<T> work) {
    return inTransaction(c -> work.get());
  }

  public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... args)
      throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
      List<T> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(mapper.map(rs));
      }
      return rows;
    }
  }

  public static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args)) {
      return ps.executeUpdate();
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... args)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
    return ps;
  }

  /** Reads a nullable BIGINT column. */
  public static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }
}
