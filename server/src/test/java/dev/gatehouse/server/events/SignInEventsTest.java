package dev.gatehouse.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.server.store.Database;
import dev.gatehouse.server.store.Jdbc;
import dev.gatehouse.server.tenant.JdbcTenantStore;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.testing.TestDatabase;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transactional outbox of sign-in events: a state change and its event, both or neither. */
class SignInEventsTest {

  private Database db;
  private Jdbc jdbc;
  private JdbcTenantStore tenants;
  private JdbcEventOutbox outbox;

  @BeforeEach
  void open() {
    db = Database.open(TestDatabase.H2.freshUrl(), null, null, 2, null);
    jdbc = db.jdbc();
    tenants = new JdbcTenantStore(jdbc);
    outbox = new JdbcEventOutbox(jdbc);
    tenants.insert(new Tenant("acme", "Acme", 100));
  }

  @AfterEach
  void close() {
    db.close();
  }

  private long events() {
    return jdbc.queryOne("select count(*) from event_outbox", rs -> rs.getLong(1)).orElseThrow();
  }

  @Test
  void recordWithWhenBothSucceedThenChangeAndEventCommitted() {
    SignInEvents events = new SignInEvents(outbox, jdbc, Clock.systemUTC());
    boolean updated = events.recordWith("acme", SignInEvents.SESSION_ENDED,
        () -> tenants.update(new Tenant("acme", "Changed", 100)), ok -> Map.of("ok", ok));
    assertThat(updated).isTrue();
    assertThat(tenants.find("acme").orElseThrow().displayName()).isEqualTo("Changed");
    assertThat(outbox.after("acme", 0, 10)).singleElement()
        .satisfies(e -> {
          assertThat(e.type()).isEqualTo("session.ended");
          assertThat(e.payload()).isEqualTo("{\"ok\":true}");
        });
  }

  @Test
  void recordWithWhenOutboxFailsThenChangeRolledBack() {
    EventSink failing = batch -> {
      outbox.append(batch);
      throw new IllegalStateException("outbox down");
    };
    SignInEvents events = new SignInEvents(failing, jdbc, Clock.systemUTC());
    assertThatThrownBy(() -> events.recordWith("acme", SignInEvents.SESSION_ENDED,
        () -> tenants.update(new Tenant("acme", "Changed", 100)), ok -> Map.of()))
        .hasMessage("outbox down");
    assertThat(tenants.find("acme").orElseThrow().displayName()).isEqualTo("Acme");
    assertThat(events()).isZero();
  }

  @Test
  void recordWithWhenChangeFailsThenNoEvent() {
    SignInEvents events = new SignInEvents(outbox, jdbc, Clock.systemUTC());
    assertThatThrownBy(() -> events.recordWith("acme", SignInEvents.REFRESH_REUSED, () -> {
      throw new IllegalStateException("store down");
    }, r -> Map.of())).hasMessage("store down");
    assertThat(events()).isZero();
  }

  @Test
  void recordWhenOutboxFailsThenCallerGoesOn() {
    SignInEvents events = new SignInEvents(batch -> {
      throw new IllegalStateException("outbox down");
    }, jdbc, Clock.systemUTC());
    events.record("acme", SignInEvents.LOGIN_FAILED, Map.of("ip", "192.0.2.1"));
    assertThat(events()).isZero();
  }
}
