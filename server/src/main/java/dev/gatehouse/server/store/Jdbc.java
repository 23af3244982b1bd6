package dev.gatehouse.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A thin layer over JDBC: parameterised statements, row mapping and one place that turns
 * {@link SQLException} into {@link StoreException}.
 *
 * <p>Transactions are bound to the calling thread: inside {@link #inTransaction} every call on a
 * {@code Jdbc} of the same data source (a store's query, a nested {@code inTransaction}) joins the
 * open transaction instead of taking another connection. That is how an event is written to the
 * outbox in the same transaction as the change it reports, without the stores knowing of events.
 * Work registered with {@link #afterCommit} (cache invalidation, messages to other nodes) runs
 * once the outermost transaction has committed, and not at all when it rolls back, so that no
 * node reloads the old state into a cache between an invalidation and the commit.
 */
public final class Jdbc implements Transactions {

  /** The transaction open on this thread, if any. */
  private static final ThreadLocal<Tx> CURRENT = new ThreadLocal<>();

  /** One open transaction: its connection, data source and what waits for its commit. */
  private static final class Tx {
    final DataSource source;
    final Connection connection;
    final List<Runnable> afterCommit = new ArrayList<>();

    Tx(DataSource source, Connection connection) {
      this.source = source;
      this.connection = connection;
    }
  }

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

  public Jdbc(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
    Tx tx = joined();
    if (tx != null) {
      try {
        return query(tx.connection, sql, mapper, args);
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
    Tx tx = joined();
    if (tx != null) {
      try {
        return update(tx.connection, sql, args);
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
    Tx tx = joined();
    if (tx != null) {
      // PostgreSQL aborts a transaction at its first error: a savepoint keeps the rest of the
      // enclosing transaction usable when the key is taken.
      try {
        java.sql.Savepoint sp = tx.connection.setSavepoint();
        try {
          int n = update(tx.connection, sql, args);
          tx.connection.releaseSavepoint(sp);
          return n;
        } catch (SQLException e) {
          tx.connection.rollback(sp);
          if ("23505".equals(e.getSQLState())) {
            return 0;
          }
          throw e;
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

  /** Runs {@code work} in one transaction, committed when it returns, rolled back when it throws. */
  public <T> T inTransaction(TxWork<T> work) {
    Tx open = joined();
    if (open != null) {
      try {
        return work.run(open.connection);
      } catch (SQLException e) {
        throw StoreException.from(e);
      }
    }
    if (CURRENT.get() != null) {
      throw new IllegalStateException("a transaction of another database is open on this thread");
    }
    List<Runnable> after;
    T result;
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      Tx tx = new Tx(dataSource, c);
      CURRENT.set(tx);
      try {
        result = work.run(c);
        c.commit();
        after = tx.afterCommit;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        CURRENT.remove();
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw StoreException.from(e);
    }
    after.forEach(Runnable::run);
    return result;
  }

  /** Runs {@code work} in one transaction (see {@link #inTransaction(TxWork)}). */
  @Override
  public <T> T transactionally(java.util.function.Supplier<T> work) {
    return inTransaction(c -> work.get());
  }

  /**
   * Runs {@code action} once the transaction open on this thread commits, or at once when none is
   * open. Dropped when the transaction rolls back.
   */
  public static void afterCommit(Runnable action) {
    Tx tx = CURRENT.get();
    if (tx == null) {
      action.run();
    } else {
      tx.afterCommit.add(action);
    }
  }

  /** True while a transaction is open on this thread. */
  public static boolean inTransaction() {
    return CURRENT.get() != null;
  }

  private Tx joined() {
    Tx tx = CURRENT.get();
    return tx != null && tx.source == dataSource ? tx : null;
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
