package dev.gatehouse.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.store.Database;
import dev.gatehouse.server.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The event log on the embedded database, as the server makes it there: {@link
 * JdbcEventOutbox#framed}, the only writer of its database.
 */
class EventLogOnH2Test extends EventLogContract {

  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }

  @Override
  boolean framed() {
    return true;
  }

  @Test
  void appendWhenABatchHasOneTenantTypeAndSecondThenItIsOneRow() {
    List<EventOutbox.Event> batch = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      batch.add(new EventOutbox.Event("acme", "token.issued", "{\"n\":" + i + "}", 100 + i / 200));
    }
    log.append(batch);
    // Two seconds: two frames. (One row an event made the old generation fill with the copies of
    // H2's copy-on-write pages; see JdbcEventOutbox.)
    assertThat(db.jdbc().queryOne("select count(*) from event_outbox", rs -> rs.getLong(1)))
        .contains(2L);
    assertThat(log.after("acme", 0, 1000)).hasSize(300);
  }

  @Test
  void twoLogsOfOneDatabaseInOneProcessNeverTakeTheSameIds() {
    // Two nodes in one JVM (tests, an embedding application) open the same embedded database.
    Database second = Database.open(url, null, null, 4, null);
    try {
      JdbcEventOutbox other = JdbcEventOutbox.framed(second.jdbc(), url);
      for (int round = 0; round < 3; round++) {
        log.append(List.of(new EventOutbox.Event("acme", "a", "{}", 100),
            new EventOutbox.Event("acme", "a", "{}", 100)));
        other.append(List.of(new EventOutbox.Event("acme", "b", "{}", 100),
            new EventOutbox.Event("acme", "b", "{}", 100)));
      }
    } finally {
      second.close();
    }
    assertThat(log.after("acme", 0, 100)).extracting(EventOutbox.Stored::type)
        .containsExactly("a", "a", "b", "b", "a", "a", "b", "b", "a", "a", "b", "b");
  }

  @Test
  void soleWriterOnlyForAnEmbeddedDatabaseNoOtherProcessWrites() {
    assertThat(JdbcEventOutbox.soleWriter("jdbc:h2:file:/var/lib/gatehouse/db")).isTrue();
    assertThat(JdbcEventOutbox.soleWriter("jdbc:h2:mem:test")).isTrue();
    assertThat(JdbcEventOutbox.soleWriter("jdbc:h2:tcp://db/gatehouse")).isFalse();
    assertThat(JdbcEventOutbox.soleWriter("jdbc:h2:file:/x/db;AUTO_SERVER=TRUE")).isFalse();
    assertThat(JdbcEventOutbox.soleWriter("jdbc:postgresql://db/gatehouse")).isFalse();
  }
}
