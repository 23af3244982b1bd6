package dev.gatehouse.server.events;

import dev.gatehouse.server.store.Jdbc;
import java.sql.PreparedStatement;
import java.util.List;

/** {@link EventOutbox} on the {@code event_outbox} table. */
public final class JdbcEventOutbox implements EventOutbox {

  private final Jdbc jdbc;

  public JdbcEventOutbox(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void append(List<Event> events) {
    if (events.isEmpty()) {
      return;
    }
    jdbc.inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("insert into event_outbox (tenant_id, type,"
          + " payload, created_at) values (?, ?, ?, ?)")) {
        for (Event e : events) {
          ps.setString(1, e.tenantId());
          ps.setString(2, e.type());
          ps.setString(3, e.payload());
          ps.setLong(4, e.createdAt());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }
}
