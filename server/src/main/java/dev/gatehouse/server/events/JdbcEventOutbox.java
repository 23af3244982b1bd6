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

  @Override
  public List<Stored> unpublished(int limit) {
    return jdbc.query("select id, tenant_id, type, payload, created_at from event_outbox"
        + " where published_at is null order by id limit ?", JdbcEventOutbox::map, limit);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The rows are locked {@code FOR UPDATE SKIP LOCKED} for the length of the publication, so a
   * second node relaying meanwhile skips them instead of publishing them too.
   */
  @Override
  public int publish(int limit, java.util.function.Consumer<List<Stored>> publisher, long now) {
    return jdbc.inTransaction(c -> {
      List<Stored> batch = Jdbc.query(c, "select id, tenant_id, type, payload, created_at"
          + " from event_outbox where published_at is null order by id limit ?"
          + " for update skip locked", JdbcEventOutbox::map, limit);
      if (batch.isEmpty()) {
        return 0;
      }
      publisher.accept(batch);
      markPublished(batch.stream().map(Stored::id).toList(), now);
      return batch.size();
    });
  }

  @Override
  public void markPublished(List<Long> ids, long now) {
    if (ids.isEmpty()) {
      return;
    }
    jdbc.inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "update event_outbox set published_at = ? where id = ?")) {
        for (long id : ids) {
          ps.setLong(1, now);
          ps.setLong(2, id);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  @Override
  public List<Stored> after(String tenantId, long afterId, int limit) {
    return jdbc.query("select id, tenant_id, type, payload, created_at from event_outbox"
        + " where tenant_id = ? and id > ? order by id limit ?", JdbcEventOutbox::map, tenantId,
        afterId, limit);
  }

  @Override
  public long latestId(String tenantId) {
    return jdbc.queryOne("select max(id) from event_outbox where tenant_id = ?",
        rs -> rs.getLong(1), tenantId).orElse(0L);
  }

  @Override
  public int purge(long before) {
    return jdbc.update("delete from event_outbox where created_at < ?", before);
  }

  private static Stored map(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Stored(rs.getLong("id"), rs.getString("tenant_id"), rs.getString("type"),
        rs.getString("payload"), rs.getLong("created_at"));
  }
}
