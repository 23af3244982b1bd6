package dev.gatehouse.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers the errors Helidon detects before routing (a malformed request line or path, a body over
 * the server's payload limit) with the same JSON bodies as the endpoints: problem+json under
 * {@code /admin/}, an OAuth error elsewhere. Helidon's own message is never echoed, as it may
 * describe parser internals.
 */
public final class DirectErrors implements DirectHandler {

  @Override
  public TransportResponse handle(TransportRequest request, EventType eventType,
      Status defaultStatus, ServerResponseHeaders responseHeaders, String message) {
    int status = defaultStatus.code();
    // By status, not event type: Helidon reports an oversized body as BAD_REQUEST with 413.
    String detail = switch (status) {
      case 400 -> "the request is malformed";
      case 403 -> "the request is forbidden";
      case 413 -> "the request body is too large";
      case 414 -> "the request URI is too long";
      case 431 -> "the request headers are too large";
      case 505 -> "this HTTP version is not supported";
      default -> status >= 500 ? "unexpected failure" : "the request cannot be served";
    };
    String path = request.path() == null ? "" : request.path();
    Map<String, Object> body = new LinkedHashMap<>();
    String contentType;
    if (path.startsWith("/admin/")) {
      contentType = "application/problem+json";
      body.put("type", "about:blank");
      body.put("title", Handlers.title(status));
      body.put("status", status);
      body.put("detail", detail);
    } else {
      contentType = "application/json";
      body.put("error", status >= 500 ? "server_error" : "invalid_request");
      body.put("error_description", detail);
    }
    byte[] bytes;
    try {
      bytes = Exchange.JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      bytes = new byte[0];
    }
    responseHeaders.set(HeaderNames.CONTENT_TYPE, contentType);
    responseHeaders.set(HeaderNames.CACHE_CONTROL, "no-store");
    return TransportResponse.builder()
        .status(defaultStatus)
        .headers(responseHeaders)
        .keepAlive(eventType.keepAlive())
        .entity(bytes)
        .build();
  }
}
