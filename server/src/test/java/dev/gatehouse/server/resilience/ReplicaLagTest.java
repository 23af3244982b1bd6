package dev.gatehouse.server.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code db.read-max-lag-ms}: lag-tolerant reads go to the replica only while it streams and is
 * close enough behind. The "replica" is the same PostgreSQL seen through a schema placed before
 * {@code pg_catalog} on its search path, whose functions and views play a standby's recovery
 * state, and whose {@code tenant} view is empty: a listing that names the tenant was read from
 * the primary, one that does not from the replica.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaLagTest {

  private static final Pattern SCHEMA = Pattern.compile("currentSchema=([a-z0-9_]+)");

  private TestServer server;
  private String fakeUrl;
  private String fake;

  @BeforeAll
  void start() throws SQLException {
    String url = TestDatabase.POSTGRES.freshUrl();
    Matcher m = SCHEMA.matcher(url);
    assertThat(m.find()).as(url).isTrue();
    String schema = m.group(1);
    fake = schema + "_standby";
    fakeUrl = url;
    sql("create schema " + fake,
        "create table " + fake + ".pg_stat_wal_receiver (status text)",
        "create table " + fake + ".lsn (replay pg_lsn)",
        "insert into " + fake + ".lsn values ('0/10')",
        "create function " + fake + ".pg_is_in_recovery() returns boolean"
            + " language sql as 'select true'",
        "create function " + fake + ".pg_last_wal_receive_lsn() returns pg_lsn"
            + " language sql as 'select ''0/10''::pg_lsn'",
        "create function " + fake + ".pg_last_wal_replay_lsn() returns pg_lsn"
            + " language sql as 'select replay from " + fake + ".lsn'",
        "create function " + fake + ".pg_last_xact_replay_timestamp() returns timestamptz"
            + " language sql as 'select now() - interval ''1 hour'''");
    String replica = url.replace("currentSchema=" + schema,
        "currentSchema=" + fake + "," + schema + ",pg_catalog");
    server = TestServer.start(TestDatabase.POSTGRES, Map.of("GATEHOUSE_DB_URL", url,
        "GATEHOUSE_DB_READ_URL", replica, "GATEHOUSE_DB_READ_MAX_LAG_MS", "5000"));
    server.createTenant("acme");
    sql("create view " + fake + ".tenant as select * from " + schema + ".tenant where false");
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void sql(String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(fakeUrl); Statement s = c.createStatement()) {
      for (String q : statements) {
        s.execute(q);
      }
    }
  }

  /** Whether the tenant listing, polled past the once-a-second lag probe, came from the primary. */
  private boolean listingSettlesOnPrimary(boolean primary) throws InterruptedException {
    for (int i = 0; i < 60; i++) {
      TestServer.Response r = server.admin("GET", "/admin/v1/tenants", null);
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      if (r.text().contains("\"acme\"") == primary) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  @Test
  void readsFollowTheReplicaOnlyWhileItStreamsAndKeepsUp() throws Exception {
    // Not streaming (no WAL receiver): it cannot know what it misses.
    assertThat(listingSettlesOnPrimary(true)).as("not streaming: primary").isTrue();
    sql("insert into " + fake + ".pg_stat_wal_receiver values ('streaming')");
    assertThat(listingSettlesOnPrimary(false)).as("streaming, all replayed: replica").isTrue();
    // Received more than it replayed, last replayed an hour ago: far past the 5 s bound.
    sql("update " + fake + ".lsn set replay = '0/5'");
    assertThat(listingSettlesOnPrimary(true)).as("an hour behind: primary").isTrue();
    sql("update " + fake + ".lsn set replay = '0/10'");
    assertThat(listingSettlesOnPrimary(false)).as("caught up again: replica").isTrue();
  }
}
