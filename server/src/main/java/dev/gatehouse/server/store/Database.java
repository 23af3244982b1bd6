package dev.gatehouse.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.gatehouse.server.resilience.Breakers;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The connection pools and schema of one database: H2 (embedded default) or PostgreSQL, with an
 * optional read replica for reads that tolerate lag ({@link Jdbc#replicaQuery}).
 *
 * <p>Migrations run at start-up; {@link #health()} reports whether the database answers and the
 * schema is current, which is what {@code /health/ready} exposes.
 *
 * <p>A dead database must fail requests fast, not hold them: a connection is waited for at most
 * {@link #CONNECTION_TIMEOUT}, PostgreSQL connects within 2 s and a statement that hears nothing
 * for 30 s fails, and the {@link Breakers#DATABASE} breaker stops trying for a second after repeated
 * outages. Hikari replaces broken connections by itself when the database returns.
 */
public final class Database implements AutoCloseable {

  /** Longest a request waits for a pooled connection before it is answered 503. */
  public static final Duration CONNECTION_TIMEOUT = Duration.ofMillis(1500);
  /** How long a statement on PostgreSQL waits for a lock before it fails (then answered 503). */
  public static final Duration LOCK_TIMEOUT = Duration.ofSeconds(2);
  /** How recent a finished statement must be for a saturated pool to count as ready. */
  static final Duration BUSY_READY = Duration.ofSeconds(2);

  private final HikariDataSource pool;
  private final HikariDataSource readPool;
  private final CircuitBreaker breaker;
  /** Whether this version's migrations were all found applied. */
  private volatile boolean schemaCurrent;
  private final CircuitBreaker readBreaker;
  /** One for the pool: transactions are tracked per {@code Jdbc}, so all stores share it. */
  private final Jdbc jdbc;
  /** Made when first needed: most starts find the schema current and never load Flyway. */
  private Flyway flyway;

  /** Whether the database can take requests now, and if not, why. */
  public record Health(boolean up, String reason) {}

  private Database(HikariDataSource pool, HikariDataSource readPool, Breakers breakers) {
    this.pool = pool;
    this.readPool = readPool;
    this.breaker = breakers.breaker(Breakers.DATABASE, Database::outage, Duration.ofSeconds(10));
    this.readBreaker = readPool == null ? null
        : breakers.breaker(Breakers.DATABASE_READ, Database::outage, Duration.ofSeconds(10));
    Jdbc replica = readPool == null ? null : new Jdbc(readPool, readBreaker, null);
    this.jdbc = new Jdbc(pool, breaker, replica);
  }

  private synchronized Flyway flyway() {
    if (flyway == null) {
      // Migrations connect on their own, without the pool's lock timeout (below): DDL may wait
      // for the locks of a busy database as long as it must.
      flyway = Flyway.configure()
          .dataSource(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword())
          .locations("classpath:db/migration")
          .load();
    }
    return flyway;
  }

  /** Runs the pending migrations, unless every one this build carries is already applied. */
  private void migrate() {
    var bundled = BundledMigrations.versions();
    if (bundled.isPresent()) {
      try (Connection c = pool.getConnection()) {
        if (BundledMigrations.allApplied(c, bundled.get())) {
          schemaCurrent = true;
          return;
        }
      } catch (SQLException e) {
        // Flyway below reports the database's trouble in its own words.
      }
    }
    flyway().migrate();
  }

  private static boolean outage(Throwable e) {
    // A pool time-out under load is not the database's failure: opening the breaker for it would
    // refuse every caller (sign-in, readiness) for what only some of them were waiting for.
    return e instanceof StoreException s && s.outage() && !s.busy();
  }

  /** Opens a pool on {@code url} and migrates the schema. */
  public static Database open(String url, String user, String password, int poolSize,
      MeterRegistry metrics) {
    return open(url, "", user, password, poolSize, metrics, new Breakers(null));
  }

  /**
   * Opens a pool on {@code url} (and one on {@code readUrl} unless it is empty) and migrates the
   * schema; {@code breakers} get the database's circuit breakers.
   */
  public static Database open(String url, String readUrl, String user, String password,
      int poolSize, MeterRegistry metrics, Breakers breakers) {
    return open(url, readUrl, Duration.ZERO, user, password, poolSize, metrics, breakers);
  }

  /**
   * Opens the pools like {@link #open(String, String, String, String, int, MeterRegistry,
   * Breakers)}; lag-tolerant reads go to the primary while the replica is more than {@code
   * replicaMaxLag} behind (zero: no bound; PostgreSQL replicas only).
   */
  public static Database open(String url, String readUrl, Duration replicaMaxLag, String user,
      String password, int poolSize, MeterRegistry metrics, Breakers breakers) {
    HikariConfig config = poolConfig(url, user, password, poolSize, metrics, "gatehouse");
    // Fail at start-up, not at the first request, when the database is unreachable.
    config.setInitializationFailTimeout(10_000);
    // Filled by Hikari in the background from start-up; the floor goes once full (see below).
    config.setMinimumIdle(poolSize);
    HikariDataSource primary = new HikariDataSource(config);
    HikariDataSource read = null;
    if (readUrl != null && !readUrl.isBlank()) {
      HikariConfig rc = poolConfig(readUrl, user, password, poolSize, metrics, "gatehouse-read");
      // A replica that is down at start-up is not fatal: reads fall back to the primary.
      rc.setInitializationFailTimeout(-1);
      read = new HikariDataSource(rc);
    }
    Database db = new Database(primary, read, breakers);
    if (read != null && readUrl.startsWith("jdbc:postgresql:")) {
      db.jdbc.boundReplicaLag(replicaMaxLag);
    }
    try {
      db.migrate();
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    warmInBackground(primary, poolSize);
    return db;
  }

  /**
   * Fills the pool now rather than under the first burst of requests, when making several
   * connections at once on a busy machine could exceed {@link #CONNECTION_TIMEOUT}; but in the
   * background, so that a start does not wait for it (0.3 s of a 0.9 s restart on H2). Hikari
   * fills up to its idle floor on its own thread without holding the connections (holding them
   * here made the node's first requests wait for them); once full, the floor goes back to 0 (see
   * {@link #poolConfig} for why there is none in operation).
   */
  private static void warmInBackground(HikariDataSource pool, int size) {
    Thread.ofVirtual().name("gatehouse-pool-warm").start(() -> {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      try {
        var bean = pool.getHikariPoolMXBean();
        while (!pool.isClosed() && bean != null && bean.getTotalConnections() < size
            && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        if (!pool.isClosed()) {
          pool.getHikariConfigMXBean().setMinimumIdle(0);
        }
      }
    });
  }

  private static HikariConfig poolConfig(String url, String user, String password, int poolSize,
      MeterRegistry metrics, String name) {
    HikariConfig config = new HikariConfig();
    // An H2 file database: its files are created for the server's user only.
    PrivateH2Files.register();
    config.setJdbcUrl(PrivateH2Files.privateUrl(url));
    if (user != null && !user.isBlank()) {
      config.setUsername(user);
    }
    if (password != null && !password.isBlank()) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(poolSize);
    config.setPoolName(name);
    config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
    config.setValidationTimeout(1_000);
    // No idle floor: with one, Hikari keeps re-connecting to a dead database with a back-off that
    // grows to 5 s, and the first connection after the database returns may come that late.
    // Without, connecting stops when no request waits, and starts afresh (10 ms back-off) with
    // the breaker's first probe: recovery within about a second of the database's return. Idle
    // connections are never retired, and the pool is filled at start-up (warmInBackground): in
    // normal operation it behaves as a fixed-size pool.
    config.setMinimumIdle(0);
    config.setIdleTimeout(0);
    if (url.startsWith("jdbc:postgresql:")) {
      // Seconds; parameters in the URL win over these.
      config.addDataSourceProperty("connectTimeout", "2");
      config.addDataSourceProperty("socketTimeout", "30");
      config.addDataSourceProperty("tcpKeepAlive", "true");
      // A request whose statement waits for a lock (a long transaction, a LOCK TABLE, a slow
      // migration) fails after 2 s with a 503 the client may retry, instead of holding its
      // connection and its caller until the lock goes: the pool stays free for the requests that
      // need no such lock, and the caller gets a clear answer before its own timeout.
      // A SET on each new connection rather than the startup "options" parameter, which
      // PgBouncer refuses unless told to ignore it.
      config.setConnectionInitSql("set lock_timeout = " + LOCK_TIMEOUT.toMillis());
    }
    if (metrics != null) {
      config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics));
    }
    return config;
  }

  public DataSource dataSource() {
    return pool;
  }

  /** JDBC on the primary, through its breaker; lag-tolerant reads on the replica if any. */
  public Jdbc jdbc() {
    return jdbc;
  }

  /** True when a connection answers and no migration is pending. */
  public boolean ready() {
    return health().up();
  }

  /**
   * Whether the primary answers and its schema is current; the reason when not. Asks the database
   * even while the breaker is open, so that readiness returns as soon as the database does.
   */
  public Health health() {
    if (busyButAnswering()) {
      return schemaHealth();
    }
    try (Connection c = pool.getConnection()) {
      if (!c.isValid(1)) {
        return new Health(false, "database not answering");
      }
      jdbc.contacted();
    } catch (SQLException e) {
      return new Health(false, breaker.getState() == CircuitBreaker.State.OPEN
          ? "database unreachable; circuit open, failing fast" : "database unreachable");
    }
    return schemaHealth();
  }

  /**
   * Every connection is at work and one of them finished a statement within {@link #BUSY_READY}:
   * the database answers and this node is loaded. Readiness then does not queue for a connection:
   * a node that reported itself not ready because it is busy would have its load moved to the
   * other nodes, which would then fail the same way in turn (a cascade), and the probe itself
   * would wait out the pool's time-out.
   */
  private boolean busyButAnswering() {
    var bean = pool.getHikariPoolMXBean();
    return bean != null && bean.getIdleConnections() == 0
        && bean.getActiveConnections() >= pool.getMaximumPoolSize()
        && System.nanoTime() - jdbc.lastContactNanos() < BUSY_READY.toNanos();
  }

  private Health schemaHealth() {
    if (schemaCurrent) {
      return new Health(true, "");
    }
    try {
      if (flyway().info().pending().length != 0) {
        return new Health(false, "database schema migrations pending");
      }
    } catch (RuntimeException e) {
      return new Health(false, "database schema unreadable");
    }
    // Once current, it stays so for this version: a newer version's migrations are not pending
    // for it. Asking Flyway again on every probe would scan the migrations each time.
    schemaCurrent = true;
    return new Health(true, "");
  }

  /** The database's circuit breaker (its state is in /metrics and /health/ready). */
  public CircuitBreaker breaker() {
    return breaker;
  }

  public boolean isPostgres() {
    return pool.getJdbcUrl().startsWith("jdbc:postgresql:");
  }

  @Override
  public void close() {
    pool.close();
    if (readPool != null) {
      readPool.close();
    }
  }
}
