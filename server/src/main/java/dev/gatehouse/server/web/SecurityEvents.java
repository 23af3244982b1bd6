package dev.gatehouse.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.server.events.EventOutbox;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in security events (login succeeded or failed, account locked, address throttled, CSRF
 * refused, session ended): a log line on {@code dev.gatehouse.security} and a row in the event
 * outbox, from which issue #6's relay publishes them. An outbox failure never fails a login.
 */
public final class SecurityEvents {

  private static final Logger LOG = LoggerFactory.getLogger("dev.gatehouse.security");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EventOutbox outbox;
  private final Clock clock;

  public SecurityEvents(EventOutbox outbox, Clock clock) {
    this.outbox = outbox;
    this.clock = clock;
  }

  /** Records {@code type} (e.g. {@code signin.login_failed}) with its details. */
  public void record(String tenantId, String type, Map<String, Object> details) {
    LOG.info("event={} tenant={} {}", type, tenantId, details);
    if (outbox == null) {
      return;
    }
    try {
      outbox.append(List.of(new EventOutbox.Event(tenantId, type,
          JSON.writeValueAsString(details), clock.instant().getEpochSecond())));
    } catch (JsonProcessingException | RuntimeException e) {
      LOG.warn("event={} could not be written to the outbox: {}", type, e.getMessage());
    }
  }
}
