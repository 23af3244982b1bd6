package dev.gatehouse.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.server.store.Database;
import dev.gatehouse.server.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
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

  String url;
  Database db;
  JdbcEventOutbox log;

  @BeforeEach
  void open() {
    url = database().freshUrl();
    db = Database.open(url, null, null, 4, null);
    log = new JdbcEventOutbox(db.jdbc());
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
    db.close();
    db = Database.open(url, null, null, 4, null);  // a new process: only the database remains
    log = new JdbcEventOutbox(db.jdbc());
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
    try (Connection open = DriverManager.getConnection(url)) {
      open.setAutoCommit(false);
      insert(open, "late");                     // takes the lower id, commits last
      log.append(List.of(event("early")));      // committed first with a higher id
      assertThat(readAll(log, EventOutbox.REDIS_STREAM)).isEmpty();  // waits for the gap
      open.commit();
    }
    assertThat(readAll(log, EventOutbox.REDIS_STREAM)).containsExactly("late", "early");
  }

  @Test
  void consumeWhenAGapNeverFillsThenSteppedOverAfterTheWait() throws Exception {
    JdbcEventOutbox impatient = new JdbcEventOutbox(db.jdbc(), 0);
    try (Connection open = DriverManager.getConnection(url)) {
      open.setAutoCommit(false);
      insert(open, "rolled-back");
      impatient.append(List.of(event("after")));
      open.rollback();
    }
    // The first look finds the gap and starts waiting; with no wait, the next steps over it.
    assertThat(impatient.consume(EventOutbox.REDIS_STREAM, 10, Long.MAX_VALUE, b -> { }))
        .isZero();
    assertThat(readAll(impatient, EventOutbox.REDIS_STREAM)).containsExactly("after");
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

  private static void insert(Connection c, String type) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("insert into event_outbox (tenant_id, type,"
        + " payload, created_at) values ('acme', ?, '{}', 100)")) {
      ps.setString(1, type);
      ps.executeUpdate();
    }
  }
}
