package dev.gatehouse.server.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases every store and end-to-end test runs on: H2 (the embedded default) and a real
 * PostgreSQL.
 *
 * <p>PostgreSQL comes from {@code GATEHOUSE_TEST_DB_URL} (as {@code .ci/run} sets it); without
 * it, an embedded PostgreSQL (real binaries from Maven Central) is started once per JVM. Where
 * neither works, PostgreSQL tests are skipped with the reason printed, unless
 * {@code GATEHOUSE_REQUIRE_SERVICES=true}, which turns that into a failure. Each call to
 * {@link #freshUrl()} gives an empty schema, so tests never see each other's rows.
 */
public enum TestDatabase {
  H2, POSTGRES;

  private static volatile String postgresBase;
  private static volatile String postgresProblem;

  /** A JDBC URL of an empty database or schema. */
  public String freshUrl() {
    return switch (this) {
      case H2 -> "jdbc:h2:mem:" + UUID.randomUUID()
          + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
      case POSTGRES -> postgresSchema();
    };
  }

  public static boolean requireServices() {
    return "true".equalsIgnoreCase(System.getenv("GATEHOUSE_REQUIRE_SERVICES"));
  }

  private static String postgresSchema() {
    String base = postgresBase();
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(base);
         Statement s = c.createStatement()) {
      s.execute("create schema " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create schema in " + base, e);
    }
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private static synchronized String postgresBase() {
    if (postgresBase != null) {
      return postgresBase;
    }
    if (postgresProblem == null) {
      String url = System.getenv("GATEHOUSE_TEST_DB_URL");
      if (url != null && !url.isBlank()) {
        postgresBase = withCredentials(url);
        try (Connection c = DriverManager.getConnection(postgresBase)) {
          return postgresBase;
        } catch (SQLException e) {
          postgresBase = null;
          postgresProblem = "GATEHOUSE_TEST_DB_URL=" + url + " does not answer: " + e.getMessage();
        }
      } else {
        try {
          postgresBase = EmbeddedPostgresHolder.start();
          return postgresBase;
        } catch (Throwable e) {
          postgresProblem = "no GATEHOUSE_TEST_DB_URL, and embedded PostgreSQL did not start: "
              + e.getMessage() + (isRoot() ? " (initdb refuses to run as root)" : "");
        }
      }
    }
    if (requireServices()) {
      throw new IllegalStateException("PostgreSQL is required (GATEHOUSE_REQUIRE_SERVICES=true): "
          + postgresProblem);
    }
    System.err.println("[gatehouse tests] skipping PostgreSQL tests: " + postgresProblem);
    Assumptions.abort("PostgreSQL unavailable: " + postgresProblem);
    throw new AssertionError("unreachable");
  }

  private static String withCredentials(String url) {
    String user = System.getenv("GATEHOUSE_TEST_DB_USER");
    if (user == null || url.contains("user=")) {
      return url;
    }
    String pw = System.getenv().getOrDefault("GATEHOUSE_TEST_DB_PASSWORD", "");
    return url + (url.contains("?") ? "&" : "?") + "user=" + user
        + (pw.isEmpty() ? "" : "&password=" + pw);
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Starts the embedded server lazily, once, and stops it when the JVM exits. */
  private static final class EmbeddedPostgresHolder {
    static String start() throws Exception {
      Path dir = Files.createTempDirectory("gatehouse-pg");
      io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg =
          io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
              .setOverrideWorkingDirectory(dir.toFile())
              .start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          pg.close();
        } catch (Exception ignored) {
          // The JVM is exiting.
        }
      }));
      return pg.getJdbcUrl("postgres", "postgres");
    }
  }
}
