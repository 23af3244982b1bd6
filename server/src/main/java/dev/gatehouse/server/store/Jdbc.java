package dev.gatehouse.server.store;

import dev.gatehouse.server.observe.DbSpans;
import dev.gatehouse.server.observe.Spans;
import io.opentelemetry.api.trace.Span;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
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
 *
 * <p>Every call that takes a connection goes through the database's circuit breaker when there is
 * one: while it is open (the database is down) calls fail at once with an outage
 * {@link StoreException} instead of each waiting for the pool's connection timeout. Only outages
 * count as failures; a refused statement or a duplicate key is an answer.
 *
 * <p>{@link #replicaQuery} is for reads that tolerate replication lag (see docs/operations.md for
 * which): they go to the read replica when one is configured, and to the primary when it is not,
 * when the replica is unreachable, or inside a transaction (which must read its own writes).
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

  /** JDBC work on a connection of the pool. */
  @FunctionalInterface
  private interface Work<T> {
    T run(DataSource ds) throws SQLException;
  }

  private final DataSource dataSource;
  private final CircuitBreaker breaker;
  private final Jdbc replica;
  /** Whether the replica is close enough behind the primary to read from (null: always). */
  private volatile ReplicaLag replicaLag;
  /** When a call through this pool last succeeded ({@link System#nanoTime()}). */
  private volatile long lastContact = System.nanoTime();

  /** Plain JDBC on {@code dataSource}: no breaker, no replica. */
  public Jdbc(DataSource dataSource) {
    this(dataSource, null, null);
  }

  /**
   * JDBC on {@code dataSource} guarded by {@code breaker} (null: none); lag-tolerant reads go to
   * {@code replica} (null: this one).
   */
  public Jdbc(DataSource dataSource, CircuitBreaker breaker, Jdbc replica) {
    this.dataSource = dataSource;
    this.breaker = breaker;
    this.replica = replica;
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
    return guarded(ds -> {
      try (Connection c = ds.getConnection()) {
        return query(c, sql, mapper, args);
      }
    });
  }

  /**
   * A read that tolerates replication lag: on the read replica when configured (falling back to
   * the primary when the replica is unreachable), else like {@link #query}. Never for rows this
   * request or a client's next request must see at once (codes, refresh tokens, revocations).
   */
  public <T> List<T> replicaQuery(String sql, RowMapper<T> mapper, Object... args) {
    ReplicaLag lag = replicaLag;
    if (replica == null || CURRENT.get() != null || (lag != null && !lag.fresh())) {
      return query(sql, mapper, args);
    }
    try {
      return replica.query(sql, mapper, args);
    } catch (StoreException e) {
      if (!e.outage()) {
        throw e;
      }
      return query(sql, mapper, args);
    }
  }

  /** The first row of a {@link #replicaQuery}. */
  public <T> Optional<T> replicaQueryOne(String sql, RowMapper<T> mapper, Object... args) {
    List<T> rows = replicaQuery(sql, mapper, args);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** Sends lag-tolerant reads to the primary while the replica lags more than {@code maxLag}. */
  void boundReplicaLag(java.time.Duration maxLag) {
    if (replica != null && !maxLag.isZero()) {
      replicaLag = new ReplicaLag(replica, maxLag);
    }
  }

  /**
   * When the database last answered a call through this pool ({@link System#nanoTime()} scale):
   * what a node knows of rows other nodes change (revocations) is at most this old, give or take
   * its caches.
   */
  public long lastContactNanos() {
    return lastContact;
  }

  /** Records that the database answered outside the calls of this class (a health probe). */
  void contacted() {
    lastContact = System.nanoTime();
  }

  /** Runs {@code work} through the breaker, mapping failures to {@link StoreException}. */
  private <T> T guarded(Work<T> work) {
    boolean shared = PoolShare.enter();
    try {
      return guardedInShare(work);
    } finally {
      PoolShare.exit(shared);
    }
  }

  private <T> T guardedInShare(Work<T> work) {
    if (breaker == null) {
      try {
        T result = work.run(dataSource);
        lastContact = System.nanoTime();
        return result;
      } catch (SQLException e) {
        throw StoreException.from(e);
      }
    }
    try {
      breaker.acquirePermission();
    } catch (CallNotPermittedException e) {
      throw StoreException.unavailable(e);
    }
    long start = breaker.getCurrentTimestamp();
    try {
      T result = work.run(dataSource);
      lastContact = System.nanoTime();
      breaker.onSuccess(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit());
      return result;
    } catch (SQLException e) {
      StoreException se = StoreException.from(e);
      breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), se);
      throw se;
    } catch (Throwable e) {
      // Not the database's failure (the recording predicate says so): releases the permission.
      breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), e);
      throw e;
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
    return guarded(ds -> {
      try (Connection c = ds.getConnection()) {
        return update(c, sql, args);
      }
    });
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
    List<List<Runnable>> after = new ArrayList<>(1);
    T result = guarded(ds -> {
      try (Connection c = ds.getConnection()) {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        Tx tx = new Tx(ds, c);
        CURRENT.set(tx);
        try {
          T r = work.run(c);
          c.commit();
          after.add(tx.afterCommit);
          return r;
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        } finally {
          CURRENT.remove();
          c.setAutoCommit(auto);
        }
      }
    });
    after.get(0).forEach(Runnable::run);
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
    Span span = DbSpans.start(c, sql);
    try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
      List<T> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(mapper.map(rs));
      }
      return rows;
    } catch (SQLException | RuntimeException e) {
      Spans.failed(span, e);
      throw e;
    } finally {
      span.end();
    }
  }

  public static int update(Connection c, String sql, Object... args) throws SQLException {
    Span span = DbSpans.start(c, sql);
    try (PreparedStatement ps = prepare(c, sql, args)) {
      return ps.executeUpdate();
    } catch (SQLException | RuntimeException e) {
      Spans.failed(span, e);
      throw e;
    } finally {
      span.end();
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
