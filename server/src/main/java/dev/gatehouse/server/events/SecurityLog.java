package dev.gatehouse.server.events;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * A security event's log line: the message names the event ({@code security event
 * login.failed}); the event type, tenant and each detail are separate key-value fields ({@code
 * kvpList} in the JSON log, {@code key="value"} in the text format), so a log pipeline can filter
 * on them without parsing a {@code k=v} string.
 */
public final class SecurityLog {

  private SecurityLog() {}

  /** Logs {@code type} of {@code tenantId} with {@code details} as fields. */
  public static void event(Logger log, String type, String tenantId, Map<String, ?> details) {
    if (!log.isInfoEnabled()) {
      return;
    }
    LoggingEventBuilder line = log.atInfo().setMessage("security event {}").addArgument(type)
        .addKeyValue("event", type).addKeyValue("tenant", tenantId);
    details.forEach(line::addKeyValue);
    line.log();
  }
}
