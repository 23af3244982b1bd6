package dev.gatehouse.server.mfa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.server.events.EventOutbox;
import dev.gatehouse.server.events.EventSink;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Second-factor events: every factor change ({@code mfa.enrolled}, {@code mfa.removed},
 * {@code mfa.reset}, {@code mfa.recovery_codes_generated}) and every second-factor check
 * ({@code mfa.verified}, {@code mfa.failed}, {@code mfa.locked}, {@code mfa.recovery_code_used},
 * {@code mfa.passkey_clone_suspected}). Each is a log line on {@code dev.gatehouse.security} and
 * a row in the event outbox; an outbox failure never fails a sign-in.
 */
public final class MfaEvents {

  private static final Logger LOG = LoggerFactory.getLogger("dev.gatehouse.security");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EventSink sink;
  private final Clock clock;
  private volatile dev.gatehouse.server.events.SecurityMeters meters;

  public MfaEvents(EventSink sink, Clock clock) {
    this.sink = sink;
    this.clock = clock;
  }

  /** Counts second-factor checks into {@code securityMeters} from now on. */
  public MfaEvents meters(dev.gatehouse.server.events.SecurityMeters securityMeters) {
    this.meters = securityMeters;
    return this;
  }

  public void record(String tenantId, String type, Map<String, Object> details) {
    dev.gatehouse.server.events.SecurityLog.event(LOG, type, tenantId, details);
    dev.gatehouse.server.events.SecurityMeters m = meters;
    if (m != null) {
      m.event(type, details);
    }
    if (sink == null) {
      return;
    }
    try {
      sink.append(List.of(new EventOutbox.Event(tenantId, type, JSON.writeValueAsString(details),
          clock.instant().getEpochSecond())));
    } catch (JsonProcessingException | RuntimeException e) {
      LOG.warn("event={} could not be written to the outbox: {}", type, e.getMessage());
    }
  }
}
