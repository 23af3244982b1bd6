package dev.gatehouse.server.webhook;

import dev.gatehouse.server.events.EventOutbox;
import dev.gatehouse.server.store.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link WebhookStore} on the {@code webhook_subscription} and {@code webhook_delivery} tables
 * (and the {@code webhooks} cursor of the event log, {@link EventOutbox#WEBHOOKS}).
 *
 * <p>Work is shared between nodes by row locks taken with {@code FOR UPDATE SKIP LOCKED}
 * (PostgreSQL 9.5+, H2 2.x): a node skips rows another node's transaction holds instead of
 * waiting for them, so under normal operation no event is fanned out twice (the event log's
 * cursor row is such a lock) and no delivery is attempted by two nodes at once.
 */
public final class JdbcWebhookStore implements WebhookStore {

  private static final String SUBSCRIPTION = "select tenant_id, id, url, event_types,"
      + " secret_sealed, created_at from webhook_subscription";
  private static final String DELIVERY = "select id, tenant_id, subscription_id, event_id, status,"
      + " attempts, next_attempt_at, last_status, last_error, created_at, updated_at"
      + " from webhook_delivery";

  private final Jdbc jdbc;
  private final EventOutbox log;

  /** A store on {@code jdbc} whose dispatcher reads the events of {@code log}. */
  public JdbcWebhookStore(Jdbc jdbc, EventOutbox log) {
    this.jdbc = jdbc;
    this.log = log;
  }

  @Override
  public void insert(Subscription s) {
    jdbc.update("insert into webhook_subscription (tenant_id, id, url, event_types, secret_sealed,"
        + " created_at) values (?, ?, ?, ?, ?, ?)", s.tenantId(), s.id(), s.url(),
        String.join(" ", s.eventTypes()), s.secretSealed(), s.createdAt());
  }

  @Override
  public List<Subscription> list(String tenantId) {
    return jdbc.query(SUBSCRIPTION + " where tenant_id = ? order by created_at, id",
        JdbcWebhookStore::subscription, tenantId);
  }

  @Override
  public Optional<Subscription> find(String tenantId, String id) {
    return jdbc.queryOne(SUBSCRIPTION + " where tenant_id = ? and id = ?",
        JdbcWebhookStore::subscription, tenantId, id);
  }

  @Override
  public List<Subscription> all() {
    // INVARIANT: the dispatcher matches each event only against subscriptions of its own tenant.
    return jdbc.query(SUBSCRIPTION, JdbcWebhookStore::subscription);
  }

  @Override
  public boolean delete(String tenantId, String id) {
    return jdbc.update("delete from webhook_subscription where tenant_id = ? and id = ?", tenantId,
        id) == 1;
  }

  @Override
  public int dispatch(int limit, Function<Event, List<Subscription>> matching, long nowMillis) {
    return log.consume(EventOutbox.WEBHOOKS, limit, Long.MAX_VALUE, events -> {
      // Joins the transaction consume() holds: the deliveries and the moved cursor commit together.
      jdbc.inTransaction(c -> {
        try (PreparedStatement ins = c.prepareStatement("insert into webhook_delivery (tenant_id,"
            + " subscription_id, event_id, status, attempts, next_attempt_at, created_at,"
            + " updated_at) values (?, ?, ?, 'pending', 0, ?, ?, ?)")) {
          int inserts = 0;
          for (EventOutbox.Stored stored : events) {
            Event e = new Event(stored.id(), stored.tenantId(), stored.type(), null,
                stored.createdAt());
            for (Subscription s : matching.apply(e)) {
              ins.setString(1, e.tenantId());
              ins.setString(2, s.id());
              ins.setLong(3, e.id());
              ins.setLong(4, nowMillis);
              ins.setLong(5, nowMillis / 1000);
              ins.setLong(6, nowMillis);
              ins.addBatch();
              inserts++;
            }
          }
          if (inserts > 0) {
            ins.executeBatch();
          }
        }
        return null;
      });
    });
  }

  @Override
  public int dispatchNone(long beforeSecond, long nowMillis) {
    return (int) Math.min(Integer.MAX_VALUE, log.skip(EventOutbox.WEBHOOKS, beforeSecond));
  }

  @Override
  public List<Delivery> claim(int limit, long nowMillis, long leaseUntil) {
    return jdbc.inTransaction(c -> {
      List<Delivery> due = Jdbc.query(c, DELIVERY + " where status = 'pending' and next_attempt_at"
          + " <= ? order by next_attempt_at limit ? for update skip locked",
          JdbcWebhookStore::delivery, nowMillis, limit);
      List<Delivery> claimed = new ArrayList<>(due.size());
      try (PreparedStatement ps = c.prepareStatement("update webhook_delivery set attempts ="
          + " attempts + 1, next_attempt_at = ?, updated_at = ? where id = ?")) {
        for (Delivery d : due) {
          ps.setLong(1, leaseUntil);
          ps.setLong(2, nowMillis);
          ps.setLong(3, d.id());
          ps.addBatch();
          claimed.add(new Delivery(d.id(), d.tenantId(), d.subscriptionId(), d.eventId(),
              d.status(), d.attempts() + 1, leaseUntil, d.lastStatus(), d.lastError(),
              d.createdAt(), nowMillis));
        }
        if (!due.isEmpty()) {
          ps.executeBatch();
        }
      }
      return claimed;
    });
  }

  @Override
  public Optional<Event> event(String tenantId, long eventId) {
    return log.find(tenantId, eventId).map(e -> new Event(e.id(), e.tenantId(), e.type(),
        e.payload(), e.createdAt()));
  }


  @Override
  public void delivered(long id, int httpStatus, long nowMillis) {
    jdbc.update("update webhook_delivery set status = 'delivered', last_status = ?,"
        + " last_error = null, updated_at = ? where id = ?", httpStatus, nowMillis, id);
  }

  @Override
  public void retryAt(long id, long nextAttemptAt, Integer httpStatus, String error,
      long nowMillis) {
    finish(id, "pending", nextAttemptAt, httpStatus, error, nowMillis);
  }

  @Override
  public void dead(long id, Integer httpStatus, String error, long nowMillis) {
    finish(id, "dead", null, httpStatus, error, nowMillis);
  }

  private void finish(long id, String status, Long next, Integer httpStatus, String error,
      long nowMillis) {
    jdbc.inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("update webhook_delivery set status = ?,"
          + " next_attempt_at = coalesce(?, next_attempt_at), last_status = ?, last_error = ?,"
          + " updated_at = ? where id = ?")) {
        ps.setString(1, status);
        if (next == null) {
          ps.setNull(2, Types.BIGINT);
        } else {
          ps.setLong(2, next);
        }
        if (httpStatus == null) {
          ps.setNull(3, Types.INTEGER);
        } else {
          ps.setInt(3, httpStatus);
        }
        ps.setString(4, error == null ? null
            : error.substring(0, Math.min(error.length(), 500)));
        ps.setLong(5, nowMillis);
        ps.setLong(6, id);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public List<Delivery> deliveries(String tenantId, String status, long beforeId, int limit) {
    long before = beforeId <= 0 ? Long.MAX_VALUE : beforeId;
    return status == null
        ? jdbc.query(DELIVERY + " where tenant_id = ? and id < ? order by id desc limit ?",
            JdbcWebhookStore::delivery, tenantId, before, limit)
        : jdbc.query(DELIVERY + " where tenant_id = ? and status = ? and id < ?"
            + " order by id desc limit ?", JdbcWebhookStore::delivery, tenantId, status, before,
            limit);
  }

  @Override
  public int purge(long beforeMillis) {
    return jdbc.update("delete from webhook_delivery where status <> 'pending'"
        + " and updated_at < ?", beforeMillis);
  }

  @Override
  public boolean redeliver(String tenantId, long deliveryId, long nowMillis) {
    return jdbc.update("update webhook_delivery set status = 'pending', attempts = 0,"
        + " next_attempt_at = ?, updated_at = ? where tenant_id = ? and id = ?"
        + " and status <> 'pending'", nowMillis, nowMillis, tenantId, deliveryId) == 1;
  }

  private static Subscription subscription(ResultSet rs) throws SQLException {
    return new Subscription(rs.getString("tenant_id"), rs.getString("id"), rs.getString("url"),
        Arrays.asList(rs.getString("event_types").split(" ")), rs.getString("secret_sealed"),
        rs.getLong("created_at"));
  }

  private static Delivery delivery(ResultSet rs) throws SQLException {
    int last = rs.getInt("last_status");
    Integer lastStatus = rs.wasNull() ? null : last;
    return new Delivery(rs.getLong("id"), rs.getString("tenant_id"),
        rs.getString("subscription_id"), rs.getLong("event_id"), rs.getString("status"),
        rs.getInt("attempts"), rs.getLong("next_attempt_at"), lastStatus,
        rs.getString("last_error"), rs.getLong("created_at"), rs.getLong("updated_at"));
  }
}
