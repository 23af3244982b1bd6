package dev.gatehouse.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.server.events.EventOutbox;
import dev.gatehouse.server.events.JdbcEventOutbox;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.webhook.JdbcWebhookStore;
import dev.gatehouse.server.webhook.Subscription;
import dev.gatehouse.server.webhook.WebhookStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Thread-bound transactions of {@link Jdbc} (a change and its event commit together or not at all)
 * and the {@code FOR UPDATE SKIP LOCKED} claims that keep two nodes from doing the same work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TransactionsContract {

  private Database db;
  private Jdbc jdbc;
  private JdbcEventOutbox outbox;

  abstract TestDatabase database();

  @BeforeAll
  void open() {
    db = Database.open(database().freshUrl(), null, null, 4, null);
    jdbc = db.jdbc();
    outbox = new JdbcEventOutbox(jdbc);
    jdbc.update("insert into tenant (id, display_name, created_at) values ('tx', 'tx', 1)");
  }

  @AfterAll
  void close() {
    if (db != null) {
      db.close();
    }
  }

  private int count(String sql, Object... args) {
    return jdbc.queryOne(sql, rs -> rs.getInt(1), args).orElse(0);
  }

  @Test
  void transactionWhenWorkThrowsThenChangeAndEventAreBothRolledBackAndAfterCommitNeverRuns() {
    AtomicBoolean announced = new AtomicBoolean();
    assertThatThrownBy(() -> jdbc.transactionally(() -> {
      jdbc.update("insert into tenant (id, display_name, created_at) values ('gone', 'g', 1)");
      outbox.append(List.of(new EventOutbox.Event("gone", "admin.tenant.created", "{}", 1)));
      Jdbc.afterCommit(() -> announced.set(true));
      throw new IllegalStateException("boom");
    })).hasMessage("boom");
    assertThat(count("select count(*) from tenant where id = 'gone'")).isZero();
    assertThat(count("select count(*) from event_outbox where tenant_id = 'gone'")).isZero();
    assertThat(announced).isFalse();
  }

  @Test
  void transactionWhenCommittedThenBothVisibleAndAfterCommitRunsAfterwards() {
    AtomicReference<Integer> seenByListener = new AtomicReference<>();
    jdbc.transactionally(() -> {
      jdbc.update("insert into tenant (id, display_name, created_at) values ('kept', 'k', 1)");
      outbox.append(List.of(new EventOutbox.Event("kept", "admin.tenant.created", "{}", 1)));
      // Runs once committed: another connection sees the row by then.
      Jdbc.afterCommit(() -> seenByListener.set(count(
          "select count(*) from tenant where id = 'kept'")));
      assertThat(seenByListener.get()).isNull();
      return null;
    });
    assertThat(seenByListener.get()).isEqualTo(1);
    assertThat(count("select count(*) from event_outbox where tenant_id = 'kept'")).isEqualTo(1);
  }

  @Test
  void transactionWhenDuplicateInsideThenTheRestOfTheTransactionStillWorks() {
    // PostgreSQL aborts a transaction at its first error unless a savepoint contains it.
    jdbc.transactionally(() -> {
      assertThat(jdbc.updateUnlessDuplicate("insert into tenant (id, display_name, created_at)"
          + " values ('tx', 'again', 1)")).isZero();
      jdbc.update("insert into tenant (id, display_name, created_at) values ('after', 'a', 1)");
      return null;
    });
    assertThat(count("select count(*) from tenant where id = 'after'")).isEqualTo(1);
  }

  @Test
  void claimWhenAnotherTransactionHoldsRowsThenTheyAreSkippedNotWaitedFor() throws Exception {
    JdbcWebhookStore store = new JdbcWebhookStore(jdbc, outbox);
    store.insert(new Subscription("tx", "wh_claim", "http://127.0.0.1:9/", List.of("*"),
        "sealed", 1));
    outbox.append(List.of(
        new EventOutbox.Event("tx", "t.a", "{}", 2), new EventOutbox.Event("tx", "t.b", "{}", 2),
        new EventOutbox.Event("tx", "t.c", "{}", 2), new EventOutbox.Event("tx", "t.d", "{}", 2)));
    // Four pending deliveries, as the fan-out writes them. (The fan-out itself reads the event log
    // in id order and waits at a gap, such as the one the rollback test above leaves.)
    jdbc.update("insert into webhook_delivery (tenant_id, subscription_id, event_id, status,"
        + " attempts, next_attempt_at, created_at, updated_at) select tenant_id, 'wh_claim', id,"
        + " 'pending', 0, 1000, 1, 1000 from event_outbox where tenant_id = 'tx'"
        + " and type in ('t.a', 't.b', 't.c', 't.d')");
    int due = count("select count(*) from webhook_delivery where status = 'pending'");
    assertThat(due).isGreaterThanOrEqualTo(4);

    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<WebhookStore.Delivery> first = new ArrayList<>();
    Thread node1 = Thread.ofVirtual().start(() -> jdbc.transactionally(() -> {
      first.addAll(store.claim(2, 2_000, 60_000));
      holding.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }));
    assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
    long t0 = System.nanoTime();
    List<WebhookStore.Delivery> second = store.claim(100, 2_000, 60_000);
    long waitedMs = (System.nanoTime() - t0) / 1_000_000;
    release.countDown();
    node1.join();

    assertThat(first).hasSize(2);
    if (database() == TestDatabase.POSTGRES) {
      assertThat(second).hasSize(due - 2);
    }
    // H2 locks every row its FOR UPDATE scan met, not just those LIMIT returned, so there the
    // second claim may skip more: never the same rows, and an H2 file belongs to one node anyway.
    assertThat(second).extracting(WebhookStore.Delivery::id)
        .doesNotContainAnyElementsOf(first.stream().map(WebhookStore.Delivery::id).toList());
    assertThat(waitedMs).as("the second claim did not wait for the first").isLessThan(5_000);
    // Claimed rows are leased: only those nobody claimed are due before the lease ends.
    assertThat(store.claim(100, 3_000, 60_000)).hasSize(due - 2 - second.size());
    assertThat(store.claim(100, 4_000, 60_000)).isEmpty();
  }
}
