package dev.gatehouse.server.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.server.events.EventOutbox;
import dev.gatehouse.server.events.EventSink;
import dev.gatehouse.server.json.CompactJson;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@code token.issued} event for each successful token response: the client, the grant,
 * the subject and the access token's {@code jti} (a JWT) or keyed hash (an opaque token), never a
 * token itself.
 *
 * <p>Where the event goes is the {@code events.token-issued} setting: {@code sync} writes it to
 * the outbox before the response leaves (an outbox failure then fails the request: no token
 * without its event), {@code async} hands it to an in-memory {@link
 * dev.gatehouse.server.events.EventQueue} written in batches (a full queue makes the request wait,
 * then fail with 503: no event is dropped while the process lives; what is queued at a crash is
 * lost, see docs/events.md), {@code off} writes none. JWT issuance itself writes nothing to the
 * database, so the event cannot share a transaction with it; it is written after the grant
 * succeeded, so an event never names a token that was not issued.
 */
public final class TokenEvents {

  /** The event type. */
  public static final String ISSUED = "token.issued";

  private static final Logger LOG = LoggerFactory.getLogger(TokenEvents.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EventSink sink;
  private final Clock clock;

  /** Events to {@code sink} (the outbox, or a queue in front of it); null sink: none. */
  public TokenEvents(EventSink sink, Clock clock) {
    this.sink = sink;
    this.clock = clock;
  }

  /** Records that {@code client} got {@code response} through {@code grantType}. */
  void issued(String tenantId, Client client, String grantType, TokenResponse response) {
    Map<String, Object> body = response.body();
    String ref = response.accessTokenRef();
    if (sink == null || ref == null || !(body.get("access_token") instanceof String)) {
      return;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("client_id", client.clientId());
    m.put("grant_type", grantType);
    if (ref.startsWith("jwt:")) {
      String[] parts = ref.split(":", 3);
      m.put("token_type", "jwt");
      m.put("jti", parts[1]);
      m.put("expires_at", Long.parseLong(parts[2]));
    } else {
      m.put("token_type", "opaque");
      m.put("token_hash", ref.substring("opaque:".length()));
    }
    if (body.get("scope") instanceof String scope) {
      m.put("scope", scope);
    }
    String ip = org.slf4j.MDC.get("client_ip");
    if (ip != null) {
      m.put("ip", ip);
    }
    String requestId = org.slf4j.MDC.get("request_id");
    if (requestId != null) {
      m.put("request_id", requestId);
    }
    m.put("refresh_token", body.containsKey("refresh_token"));
    m.put("id_token", body.containsKey("id_token"));
    // Strings, numbers and booleans only: the compact writer takes them all (Jackson is the
    // fallback should that change), at a fraction of Jackson's cost on this per-token path.
    String payload = CompactJson.tryWriteString(m);
    if (payload == null) {
      try {
        payload = JSON.writeValueAsString(m);
      } catch (JsonProcessingException e) {
        LOG.warn("token.issued event not serialisable: {}", e.getMessage());
        return;
      }
    }
    sink.append(List.of(new EventOutbox.Event(tenantId, ISSUED, payload,
        clock.instant().getEpochSecond())));
  }
}
