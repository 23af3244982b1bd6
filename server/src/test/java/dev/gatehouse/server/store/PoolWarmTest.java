package dev.gatehouse.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.server.testing.TestDatabase;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pool fills itself after start-up, in the background, without taking connections from the
 * node's first requests; once full it keeps no idle floor (which would make Hikari reconnect to a
 * dead database on its own back-off, see {@code Database.poolConfig}).
 */
class PoolWarmTest {

  @Test
  void openThenThePoolFillsAndTheFloorGoes() throws Exception {
    try (Database db = Database.open(TestDatabase.H2.freshUrl(), null, null, 4, null)) {
      HikariDataSource pool = (HikariDataSource) db.dataSource();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while ((pool.getHikariPoolMXBean().getTotalConnections() < 4
          || pool.getHikariConfigMXBean().getMinimumIdle() != 0) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(4);
      assertThat(pool.getHikariConfigMXBean().getMinimumIdle()).isZero();
    }
  }

  @Test
  void openThenEveryConnectionCanBeTakenAtOnceRightAway() throws Exception {
    try (Database db = Database.open(TestDatabase.H2.freshUrl(), null, null, 4, null)) {
      List<Connection> held = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          held.add(db.dataSource().getConnection());  // within the pool's 1.5 s, none held by warming
        }
        assertThat(held).hasSize(4);
      } finally {
        for (Connection c : held) {
          c.close();
        }
      }
    }
  }
}
