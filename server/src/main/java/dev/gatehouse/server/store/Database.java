package dev.gatehouse.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The connection pool and schema of one database: H2 (embedded default) or PostgreSQL.
 *
 * <p>Migrations run at start-up; {@link #ready()} reports whether the database answers and the
 * schema is current, which is what {@code /health/ready} exposes.
 */
public final class Database implements AutoCloseable {

  private final HikariDataSource pool;
  /** One for the pool: transactions are tracked per {@code Jdbc}, so all stores share it. */
  private final Jdbc jdbc;
  private final Flyway flyway;

  private Database(HikariDataSource pool) {
    this.pool = pool;
    this.jdbc = new Jdbc(pool);
    this.flyway = Flyway.configure()
        .dataSource(pool)
        .locations("classpath:db/migration")
        .load();
  }

  /** Opens a pool on {@code url} and migrates the schema. */
  public static Database open(String url, String user, String password, int poolSize,
      MeterRegistry metrics) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    if (user != null && !user.isBlank()) {
      config.setUsername(user);
    }
    if (password != null && !password.isBlank()) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("gatehouse");
    config.setConnectionTimeout(5_000);
    config.setValidationTimeout(2_000);
    // Fail at start-up, not at the first request, when the database is unreachable.
    config.setInitializationFailTimeout(10_000);
    if (metrics != null) {
      config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics));
    }
    Database db = new Database(new HikariDataSource(config));
    try {
      db.flyway.migrate();
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    return db;
  }

  public DataSource dataSource() {
    return pool;
  }

  public Jdbc jdbc() {
    return jdbc;
  }

  /** True when a connection answers and no migration is pending. */
  public boolean ready() {
    try (Connection c = pool.getConnection()) {
      if (!c.isValid(2)) {
        return false;
      }
    } catch (SQLException e) {
      return false;
    }
    try {
      return flyway.info().pending().length == 0;
    } catch (RuntimeException e) {
      return false;
    }
  }

  public boolean isPostgres() {
    return pool.getJdbcUrl().startsWith("jdbc:postgresql:");
  }

  @Override
  public void close() {
    pool.close();
  }
}
