package dev.gatehouse.server.resilience;

import dev.gatehouse.server.cache.StaleOnOutage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.server.store.Jdbc;
import dev.gatehouse.server.store.StoreException;
import dev.gatehouse.server.testing.TcpProxy;
import dev.gatehouse.server.testing.TestDatabase;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The database breaker around {@link Jdbc}, and caches that keep their values through outages. */
class BreakersTest {

  private static HikariDataSource pool(String url, long timeoutMs) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    c.setConnectionTimeout(timeoutMs);
    c.setMaximumPoolSize(2);
    c.setMinimumIdle(0);
    c.setInitializationFailTimeout(-1);
    return new HikariDataSource(c);
  }

  private static CircuitBreaker databaseBreaker() {
    return Breakers.unmetered().breaker(Breakers.DATABASE,
        e -> e instanceof StoreException s && s.outage(), Duration.ofSeconds(10));
  }

  @Test
  void whenDatabaseRefusesConnectionsThenTheBreakerOpensAndCallsFailAtOnce() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    CircuitBreaker breaker = databaseBreaker();
    try (HikariDataSource ds = pool("jdbc:postgresql://127.0.0.1:" + closedPort + "/none", 250)) {
      Jdbc jdbc = new Jdbc(ds, breaker, null);
      for (int i = 0; i < 5; i++) {
        assertThatThrownBy(() -> jdbc.query("select 1", rs -> 1))
            .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.outage()).isTrue());
      }
      assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> jdbc.update("delete from nothing"))
          .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.outage()).isTrue());
      assertThat((System.nanoTime() - t0) / 1_000_000).as("ms, without asking the pool")
          .isLessThan(100);
    }
  }

  @Test
  void whenStatementsAreRefusedThenTheBreakerStaysClosed() {
    CircuitBreaker breaker = databaseBreaker();
    try (HikariDataSource ds = pool(TestDatabase.H2.freshUrl(), 5_000)) {
      Jdbc jdbc = new Jdbc(ds, breaker, null);
      jdbc.update("create table t (id int primary key)");
      jdbc.update("insert into t values (1)");
      for (int i = 0; i < 10; i++) {
        assertThat(jdbc.updateUnlessDuplicate("insert into t values (1)")).isZero();
        assertThatThrownBy(() -> jdbc.query("select * from missing", rs -> 1))
            .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.outage()).isFalse());
      }
      assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
  }

  @Test
  void whenDatabaseGoesAwayThenRefreshedEntriesKeepTheirValueAndFirstLoadsFail()
      throws Exception {
    String url = TestDatabase.POSTGRES.freshUrl();
    Matcher m = Pattern.compile("^jdbc:postgresql://([^:/]+):(\\d+)/").matcher(url);
    assertThat(m.find()).isTrue();
    try (TcpProxy proxy = TcpProxy.to(m.group(1), Integer.parseInt(m.group(2)));
         HikariDataSource ds = pool("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/"
             + url.substring(m.end()), 1_000)) {
      Jdbc jdbc = new Jdbc(ds, databaseBreaker(), null);
      LoadingCache<String, String> cache = Caffeine.newBuilder()
          .refreshAfterWrite(Duration.ofMillis(100))
          .executor(Runnable::run)
          .build(StaleOnOutage.loader((String k) -> jdbc.queryOne("select ?", rs -> rs.getString(1),
              k + "@" + System.nanoTime()).orElseThrow()));
      String first = cache.get("a");
      proxy.cut();
      Thread.sleep(150);
      assertThat(cache.get("a")).as("refresh met the outage: old value kept").isEqualTo(first);
      assertThatThrownBy(() -> cache.get("b")).isInstanceOf(StoreException.class);
      proxy.restore();
      String later = first;
      for (int i = 0; i < 100 && later.equals(first); i++) {
        Thread.sleep(100);
        try {
          later = cache.get("a");
        } catch (StoreException e) {
          // Not yet back.
        }
      }
      assertThat(later).as("refreshed once the database answers").isNotEqualTo(first);
    }
  }
}
