package dev.gatehouse.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.server.store.Database;
import dev.gatehouse.server.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The append-only event log and its readers' cursors, on each database: order, at least once,
 * cursors that outlive the process, and ids that commit out of order.
 */
abstract class EventLogContract {

  abstract TestDatabase database();

  /** Whether the log under test writes frames (the embedded database's log). */
  boolean framed() {
    return false;
  }

  JdbcEventOutbox newLog(long gapWaitNanos) {
    return new JdbcEventOutbox(db.jdbc(), gapWaitNanos, framed() ? url : null);
  }

  /** Closes the database and opens it again, as a new process would. */
  void restart() {
    db.close();
    JdbcEventOutbox.forget(url);
    db = Database.open(url, null, null, 4, null);
    log = newLog(JdbcEventOutbox.GAP_WAIT_NANOS);
  }

  String url;
  Database db;
  JdbcEventOutbox log;

  @BeforeEach
  void open() {
    url = database().freshUrl();
    db = Database.open(url, null, null, 4, null);
    log = newLog(JdbcEventOutbox.GAP_WAIT_NANOS);
  }

  @AfterEach
  void close() {
    db.close();
  }

  static EventOutbox.Event event(String type) {
    return new EventOutbox.Event("acme", type, "{}", 100);
  }

  List<String> readAll(EventOutbox reader, String cursor) {
    List<String> seen = new ArrayList<>();
    while (reader.consume(cursor, 2, Long.MAX_VALUE,
        batch -> batch.forEach(e -> seen.add(e.type()))) > 0) {
      // a page of two at a time: the cursor must carry over between calls
    }
    return seen;
  }

  @Test
  void consumeHandsEventsInAppendOrderOnceAndEachReaderHasItsOwnCursor() {
    log.append(List.of(event("a"), event("b"), event("c")));
    log.append(List.of(event("d"), event("e")));
    assertThat(readAll(log, EventOutbox.REDIS_STREAM)).containsExactly("a", "b", "c", "d", "e");
    assertThat(readAll(log, EventOutbox.REDIS_STREAM)).isEmpty();
    assertThat(readAll(log, EventOutbox.WEBHOOKS)).containsExactly("a", "b", "c", "d", "e");
  }

  @Test
  void consumeWhenConsumerFailsThenTheSameEventsComeAgain() {
    log.append(List.of(event("a"), event("b")));
    assertThatThrownBy(() -> log.consume(EventOutbox.REDIS_STREAM, 10, Long.MAX_VALUE, batch -> {
      throw new IllegalStateException("Redis down");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(readAll(log, EventOutbox.REDIS_STREAM)).containsExactly("a", "b");
  }

  @Test
  void consumeAfterRestartContinuesAfterTheLastEventHandled() {
    log.append(List.of(event("a"), event("b"), event("c")));
    log.consume(EventOutbox.REDIS_STREAM, 2, Long.MAX_VALUE, batch -> { });
    restart();  // a new process: only the database remains
    log.append(List.of(event("d")));
    assertThat(readAll(log, EventOutbox.REDIS_STREAM)).containsExactly("c", "d");
  }

  @Test
  void consumeOnlyTakesEventsCreatedBeforeTheBound() {
    log.append(List.of(new EventOutbox.Event("acme", "old", "{}", 99),
        new EventOutbox.Event("acme", "new", "{}", 100)));
    List<String> seen = new ArrayList<>();
    log.consume(EventOutbox.WEBHOOKS, 10, 100, batch -> batch.forEach(e -> seen.add(e.type())));
    assertThat(seen).containsExactly("old");
    assertThat(readAll(log, EventOutbox.WEBHOOKS)).containsExactly("new");
  }

  @Test
  void appendWhenTheBatchSpansSeveralStatementsThenEveryEventIsStoredInOrder() {
    List<EventOutbox.Event> batch = new ArrayList<>();
    int n = 2 * JdbcEventOutbox.ROWS_PER_INSERT + 7;
    for (int i = 0; i < n; i++) {
      batch.add(new EventOutbox.Event(i % 2 == 0 ? "acme" : "globex", "e" + i,
          "{\"n\":" + i + "}", 1000 + i));
    }
    log.append(batch);
    List<EventOutbox.Stored> stored = new ArrayList<>();
    while (log.consume(EventOutbox.REDIS_STREAM, 50, Long.MAX_VALUE, stored::addAll) > 0) {
      // pages of 50
    }
    assertThat(stored).hasSize(n);
    for (int i = 0; i < n; i++) {
      EventOutbox.Stored e = stored.get(i);
      assertThat(List.of(e.tenantId(), e.type(), e.payload(), e.createdAt())).containsExactly(
          i % 2 == 0 ? "acme" : "globex", "e" + i, "{\"n\":" + i + "}", 1000L + i);
    }
  }

  @Test
  void skipMovesOnlyItsReadersCursorUpToTheBound() {
    log.append(List.of(new EventOutbox.Event("acme", "a", "{}", 98),
        new EventOutbox.Event("acme", "b", "{}", 99), new EventOutbox.Event("acme", "c", "{}", 100)));
    assertThat(log.skip(EventOutbox.WEBHOOKS, 100)).isEqualTo(2);
    assertThat(readAll(log, EventOutbox.WEBHOOKS)).containsExactly("c");
    assertThat(readAll(log, EventOutbox.REDIS_STREAM)).containsExactly("a", "b", "c");
  }

  @Test
  void skipWhenTheCursorIsAlreadyPastTheBoundThenItStays() {
    log.append(List.of(new EventOutbox.Event("acme", "a", "{}", 98),
        new EventOutbox.Event("acme", "b", "{}", 99)));
    assertThat(readAll(log, EventOutbox.WEBHOOKS)).containsExactly("a", "b");
    log.append(List.of(new EventOutbox.Event("acme", "c", "{}", 100)));

    assertThat(log.skip(EventOutbox.WEBHOOKS, 99)).isZero();
    assertThat(log.skip(EventOutbox.WEBHOOKS, 50)).isZero();

    assertThat(readAll(log, EventOutbox.WEBHOOKS)).containsExactly("c");
  }

  @Test
  void skipWhenManyEventsThenFindsTheBoundAmongThem() {
    List<EventOutbox.Event> batch = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      batch.add(new EventOutbox.Event("acme", "e" + i, "{}", 1000 + i / 10));  // 10 a second
    }
    log.append(batch);

    assertThat(log.skip(EventOutbox.WEBHOOKS, 1050)).isEqualTo(500);
    assertThat(readAll(log, EventOutbox.WEBHOOKS)).hasSize(500).first().isEqualTo("e500");
  }

  @Test
  void skipWhenTheLogIsEmptyThenNothing() {
    assertThat(log.skip(EventOutbox.WEBHOOKS, 100)).isZero();
    assertThat(log.skip(EventOutbox.WEBHOOKS, 100)).isZero();
  }

  @Test
  void consumeWhenAnEarlierIdCommitsLateThenItIsNotSkipped() throws Exception {
    try (OpenAppend late = new OpenAppend(log, "late")) {  // takes the lower id, commits last
      log.append(List.of(event("early")));                 // committed first with a higher id
      assertThat(readAll(log, EventOutbox.REDIS_STREAM)).isEmpty();  // waits for the gap
      late.commit();
    }
    assertThat(readAll(log, EventOutbox.REDIS_STREAM)).containsExactly("late", "early");
  }

  @Test
  void consumeWhenAGapNeverFillsThenSteppedOverAfterTheWait() throws Exception {
    JdbcEventOutbox impatient = newLog(0);
    try (OpenAppend rolledBack = new OpenAppend(impatient, "rolled-back")) {
      impatient.append(List.of(event("after")));
      rolledBack.rollback();
    }
    // The first look finds the gap and starts waiting; with no wait, the next steps over it.
    assertThat(impatient.consume(EventOutbox.REDIS_STREAM, 10, Long.MAX_VALUE, b -> { }))
        .isZero();
    assertThat(readAll(impatient, EventOutbox.REDIS_STREAM)).containsExactly("after");
  }

  @Test
  void manyEventsOfOneTenantTypeAndSecondReadBackOneByOneWithConsecutiveIds() {
    List<EventOutbox.Event> batch = new ArrayList<>();
    int n = JdbcEventOutbox.MAX_FRAME + 500;
    for (int i = 0; i < n; i++) {
      batch.add(new EventOutbox.Event("acme", "token.issued", "{\"n\":" + i + "}", 100));
    }
    batch.add(3, new EventOutbox.Event("globex", "token.issued", "{\"g\":1}", 100));
    log.append(batch);

    List<EventOutbox.Stored> acme = new ArrayList<>();
    List<EventOutbox.Stored> all = new ArrayList<>();
    while (log.consume(EventOutbox.REDIS_STREAM, 7, Long.MAX_VALUE, all::addAll) > 0) {
      // pages of 7: a page ends inside a frame and the next one starts there
    }
    all.stream().filter(e -> e.tenantId().equals("acme")).forEach(acme::add);
    assertThat(all).hasSize(n + 1);
    assertThat(acme).extracting(EventOutbox.Stored::payload)
        .containsExactlyElementsOf(batch.stream().filter(e -> e.tenantId().equals("acme"))
            .map(EventOutbox.Event::payload).toList());
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i).id()).isEqualTo(all.get(i - 1).id() + 1);
    }

    long middle = acme.get(700).id();
    assertThat(log.after("acme", middle, 3)).extracting(EventOutbox.Stored::payload)
        .containsExactly("{\"n\":701}", "{\"n\":702}", "{\"n\":703}");
    assertThat(log.find("acme", middle)).map(EventOutbox.Stored::payload)
        .contains("{\"n\":700}");
    assertThat(log.find("globex", middle)).isEmpty();
    assertThat(log.latestId("acme")).isEqualTo(acme.get(acme.size() - 1).id());
  }

  @Test
  void oldestUnreadIsTheTimeOfTheFirstEventAfterTheReadersCursor() {
    assertThat(log.oldestUnread(EventOutbox.REDIS_STREAM)).isEmpty();
    List<EventOutbox.Event> batch = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      batch.add(new EventOutbox.Event("acme", "token.issued", "{}", 100 + i / 5));
    }
    log.append(batch);
    assertThat(log.oldestUnread(EventOutbox.REDIS_STREAM)).hasValue(100);
    log.consume(EventOutbox.REDIS_STREAM, 6, Long.MAX_VALUE, b -> { });
    assertThat(log.oldestUnread(EventOutbox.REDIS_STREAM)).hasValue(101);
    log.consume(EventOutbox.REDIS_STREAM, 6, Long.MAX_VALUE, b -> { });
    assertThat(log.oldestUnread(EventOutbox.REDIS_STREAM)).isEmpty();
  }

  @Test
  void purgeWhenItEmptiedTheLogThenANewProcessNeverTakesAPurgedIdAgain() {
    List<EventOutbox.Event> batch = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      batch.add(new EventOutbox.Event("acme", "token.issued", "{}", 100));
    }
    log.append(batch);
    long last = log.latestId("acme");
    assertThat(log.purge(101)).isEqualTo(50);
    assertThat(log.after("acme", 0, 100)).isEmpty();
    restart();  // a new process: only the database remains
    log.append(List.of(event("next")));
    assertThat(log.after("acme", 0, 10)).extracting(EventOutbox.Stored::id)
        .allSatisfy(id -> assertThat(id).isGreaterThan(last));
  }

  @Test
  void purgeDeletesEventsCreatedBeforeTheBoundAndKeepsTheRest() {
    for (long t = 10; t < 20; t++) {
      log.append(List.of(new EventOutbox.Event("acme", "at" + t, "{}", t)));
    }
    assertThat(log.purge(15)).isEqualTo(5);
    assertThat(log.after("acme", 0, 100)).extracting(EventOutbox.Stored::type)
        .containsExactly("at15", "at16", "at17", "at18", "at19");
    assertThat(log.purge(15)).isZero();
    assertThat(log.purge(100)).isEqualTo(5);
    assertThat(log.purge(100)).isZero();
  }

  /**
   * An append through {@code log} in a transaction of another thread, held open until {@link
   * #commit} or {@link #rollback}: its ids are taken, its events not yet visible.
   */
  final class OpenAppend implements AutoCloseable {
    private final java.util.concurrent.CountDownLatch appended =
        new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CompletableFuture<Boolean> outcome =
        new java.util.concurrent.CompletableFuture<>();
    private final Thread thread;

    OpenAppend(JdbcEventOutbox log, String type) throws InterruptedException {
      thread = Thread.ofPlatform().start(() -> {
        try {
          db.jdbc().inTransaction(c -> {
            log.append(List.of(event(type)));
            appended.countDown();
            if (!outcome.join()) {
              throw new IllegalStateException("rolled back");
            }
            return null;
          });
        } catch (IllegalStateException expected) {
          // the rollback asked for
        }
      });
      assertThat(appended.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    void commit() throws InterruptedException {
      outcome.complete(true);
      thread.join(10_000);
    }

    void rollback() throws InterruptedException {
      outcome.complete(false);
      thread.join(10_000);
    }

    @Override
    public void close() throws InterruptedException {
      rollback();
    }
  }

}
