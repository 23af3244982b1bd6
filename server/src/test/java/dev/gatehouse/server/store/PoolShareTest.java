package dev.gatehouse.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A loaded node is not a failed database: connections all at work make the waiting caller's
 * request busy (503), but neither open the database's circuit breaker (which would refuse every
 * caller) nor make the node report itself not ready; and a flood of one request class, bound to a
 * {@link PoolShare}, leaves the rest of the pool to the others.
 */
class PoolShareTest {

  private final List<Database> opened = new ArrayList<>();
  private final List<Thread> holders = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() throws InterruptedException {
    release.countDown();
    for (Thread t : holders) {
      t.join(5_000);
    }
    opened.forEach(Database::close);
  }

  private Database open(int poolSize) {
    Database db = Database.open("jdbc:h2:mem:share-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
        "", "", poolSize, null);
    opened.add(db);
    return db;
  }

  /** Holds one connection of {@code db} (in a transaction, under {@code share} if not null). */
  private void hold(Database db, PoolShare share) throws InterruptedException {
    CountDownLatch holding = new CountDownLatch(1);
    Runnable work = () -> db.jdbc().inTransaction(c -> {
      holding.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    holders.add(Thread.ofVirtual().start(share == null ? work : () -> share.run(work)));
    assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
  }

  private static int one(Database db) {
    return db.jdbc().query("select 1", rs -> rs.getInt(1)).get(0);
  }

  @Test
  void whenAShareIsInUseThenItsNextCallIsBusyWhileOtherWorkStillGetsAConnection()
      throws Exception {
    Database db = open(3);
    PoolShare introspect = new PoolShare("introspect", 1, Duration.ofMillis(200));
    hold(db, introspect);

    AtomicReference<Throwable> failure = new AtomicReference<>();
    long t0 = System.nanoTime();
    introspect.run(() -> {
      try {
        one(db);
      } catch (RuntimeException e) {
        failure.set(e);
      }
    });
    long waitedMs = (System.nanoTime() - t0) / 1_000_000;

    assertThat(failure.get()).isInstanceOf(StoreException.class);
    StoreException e = (StoreException) failure.get();
    assertThat(e.busy()).isTrue();
    assertThat(e.outage()).as("answered 503 like an outage").isTrue();
    assertThat(e.getMessage()).contains("introspect");
    assertThat(waitedMs).isLessThan(Database.CONNECTION_TIMEOUT.toMillis());
    assertThat(introspect.inUse()).isEqualTo(1);
    // Work outside the share (a sign-in) gets one of the connections left at once.
    assertThat(one(db)).isEqualTo(1);
    assertThat(db.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void whenCallsNestOnOneThreadThenTheyTakeOnePermit() {
    Database db = open(2);
    Database other = open(2);
    PoolShare share = new PoolShare("policy", 1, Duration.ofMillis(200));
    AtomicReference<Integer> got = new AtomicReference<>();
    share.run(() -> got.set(db.jdbc().inTransaction(c -> one(other))));
    assertThat(got.get()).isEqualTo(1);
    assertThat(share.inUse()).isZero();
  }

  @Test
  void whenThePoolTimesOutWhileTheDatabaseAnswersThenBusyAndTheBreakerStaysClosed()
      throws Exception {
    Database db = open(1);
    assertThat(one(db)).isEqualTo(1);
    hold(db, null);

    // Five callers at once (the breaker's minimum number of calls), each waiting out the pool.
    List<Thread> callers = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 6; i++) {
      callers.add(Thread.ofVirtual().start(() -> {
        try {
          one(db);
        } catch (RuntimeException e) {
          failures.add(e);
        }
      }));
    }
    for (Thread t : callers) {
      t.join(10_000);
    }
    assertThat(failures).hasSize(6).allSatisfy(f -> {
      assertThat(f).isInstanceOf(StoreException.class);
      assertThat(((StoreException) f).busy()).isTrue();
    });
    assertThat(db.breaker().getState()).as("a loaded pool is not a failed database")
        .isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void whenEveryConnectionIsAtWorkButTheDatabaseAnsweredThenReadyWithoutWaiting()
      throws Exception {
    Database db = open(1);
    assertThat(one(db)).isEqualTo(1);
    assertThat(db.health().up()).isTrue();
    hold(db, null);

    long t0 = System.nanoTime();
    Database.Health h = db.health();
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(h.up()).as(h.toString()).isTrue();
    assertThat(tookMs).as("the probe does not queue for a connection").isLessThan(500);
  }

  @Test
  void whenThePoolCannotConnectThenAnOutageNotBusy() {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/nothing?connectTimeout=1");
    c.setConnectionTimeout(500);
    c.setInitializationFailTimeout(-1);
    c.setMaximumPoolSize(1);
    try (HikariDataSource ds = new HikariDataSource(c)) {
      assertThatThrownBy(ds::getConnection).isInstanceOfSatisfying(SQLException.class, e -> {
        StoreException se = StoreException.from(e);
        assertThat(se.busy()).isFalse();
        assertThat(se.outage()).isTrue();
      });
    }
  }
}
