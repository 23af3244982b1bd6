package dev.gatehouse.server.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import java.nio.charset.StandardCharsets;

/**
 * Answers what the HTTP layer rejects before routing — a malformed request line or header, a body
 * over the server-wide limit — with the same JSON error shape as every endpoint, instead of an
 * empty body. The description is fixed per event type: Helidon's message may quote input.
 */
public final class JsonDirectHandler implements DirectHandler {

  private JsonDirectHandler() {}

  /** Handlers for every event type. */
  public static DirectHandlers all() {
    JsonDirectHandler handler = new JsonDirectHandler();
    DirectHandlers.Builder b = DirectHandlers.builder();
    for (EventType type : EventType.values()) {
      b.addHandler(type, handler);
    }
    return b.build();
  }

  @Override
  public TransportResponse handle(TransportRequest request, EventType eventType,
      Status defaultStatus, ServerResponseHeaders responseHeaders, String message) {
    String description = defaultStatus.code() == 413 ? "the request body is too large"
        : switch (eventType) {
      case BAD_REQUEST -> "the HTTP request is malformed";
      case PAYLOAD_TOO_LARGE -> "the request body is too large";
      case FORBIDDEN -> "forbidden";
      case HTTP_VERSION_NOT_SUPPORTED -> "HTTP version not supported";
      default -> "the request could not be handled";
        };
    String error = defaultStatus.code() >= 500 ? "server_error" : "invalid_request";
    byte[] body = ("{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    return TransportResponse.builder()
        .status(defaultStatus)
        .headers(responseHeaders)
        .header(HeaderNames.CONTENT_TYPE, "application/json")
        .header(HeaderNames.CACHE_CONTROL, "no-store")
        .entity(body)
        .build();
  }
}
