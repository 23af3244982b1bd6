package dev.gatehouse.server.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.server.store.Jdbc;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Records administrative changes as events in the same database transaction as the change: the
 * change and its event are committed together or not at all.
 *
 * <p>The change runs inside {@link Jdbc#inTransaction}, which the stores it calls join (see
 * {@link Jdbc}); the event is appended to the outbox on the same connection before the commit.
 * Each event names who ({@code actor}: the admin client id), what (its type, e.g.
 * {@code admin.client.created}) and which ({@code target}: the id of the thing changed).
 */
public final class AuditLog {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Jdbc jdbc;
  private final EventSink sink;
  private final Clock clock;

  public AuditLog(Jdbc jdbc, EventSink sink, Clock clock) {
    this.jdbc = jdbc;
    this.sink = sink;
    this.clock = clock;
  }

  /**
   * Runs {@code change} and records event {@code type} at {@code tenantId} in one transaction;
   * {@code details} maps the change's result to the event's {@code target} and other fields,
   * or to null when nothing changed and no event is due.
   */
  public <T> T change(String tenantId, String type, String actor, Supplier<T> change,
      Function<? super T, Map<String, Object>> details) {
    return jdbc.transactionally(() -> {
      T result = change.get();
      Map<String, Object> d = details.apply(result);
      if (d != null) {  // null: nothing changed, nothing to record
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("actor", actor);
        payload.putAll(d);
        append(tenantId, type, payload);
      }
      return result;
    });
  }

  /** Runs {@code change} and records event {@code type} naming {@code target}, in one transaction. */
  public void change(String tenantId, String type, String actor, String target, Runnable change) {
    change(tenantId, type, actor, () -> {
      change.run();
      return target;
    }, t -> target(t));
  }

  /** {@code {"target": id}}: the usual details of a change. */
  public static Map<String, Object> target(String id) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target", id);
    return m;
  }

  /** Appends one event now, joining the transaction open on this thread if any. */
  public void append(String tenantId, String type, Map<String, Object> payload) {
    try {
      sink.append(List.of(new EventOutbox.Event(tenantId, type, JSON.writeValueAsString(payload),
          clock.instant().getEpochSecond())));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
