package dev.gatehouse.server.http;

import dev.gatehouse.server.store.StoreException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Wraps endpoint code so that every failure becomes a standard error body: OAuth JSON errors
 * (RFC 6749 §5.2) on tenant endpoints, {@code application/problem+json} (RFC 9457) on the admin
 * API. Nothing internal reaches the client: unexpected exceptions are logged with the request id
 * and answered 500 with that id only.
 */
public final class Handlers {

  private static final Logger LOG = LoggerFactory.getLogger(Handlers.class);

  /** Endpoint code that may throw. */
  @FunctionalInterface
  public interface Endpoint {
    void handle(ServerRequest req, ServerResponse res) throws Exception;
  }

  private Handlers() {}

  /**
   * For tenant endpoints that answer JSON errors in RFC 6749 §5.2's shape: HTTP-level failures,
   * storage outages and unexpected failures. A feature maps its own errors inside (the OAuth
   * endpoints' {@code OAuthErrorHttp}), so this package knows no feature's exception.
   */
  public static Handler jsonErrors(Endpoint endpoint) {
    return (req, res) -> {
      try {
        endpoint.handle(req, res);
      } catch (HttpError e) {
        oauthError(res, e.status(), e.status() == 404 ? "not_found" : "invalid_request",
            e.getMessage());
      } catch (StoreException e) {
        unavailable(res, e);
        oauthError(res, 503, "temporarily_unavailable", "storage is unavailable; retry shortly");
      } catch (Exception e) {
        LOG.error("unexpected failure", e);
        oauthError(res, 500, "server_error", "unexpected failure; request id "
            + MDC.get("request_id"));
      }
    };
  }

  /** For the admin API. */
  public static Handler problem(Endpoint endpoint) {
    return (req, res) -> {
      try {
        endpoint.handle(req, res);
      } catch (ProblemException e) {
        problem(res, e.status(), e.title(), e.getMessage());
      } catch (HttpError e) {
        problem(res, e.status(), title(e.status()), e.getMessage());
      } catch (StoreException e) {
        unavailable(res, e);
        problem(res, 503, "Service Unavailable", "storage is unavailable; retry shortly");
      } catch (Exception e) {
        LOG.error("unexpected failure", e);
        problem(res, 500, "Internal Server Error", "unexpected failure; request id "
            + MDC.get("request_id"));
      }
    };
  }

  public static void oauthError(ServerResponse res, int status, String error, String description) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("error_description", errorDescription(description));
    Exchange.noStore(res);
    Exchange.json(res, status, body);
  }

  /**
   * RFC 6749 §5.2: "Values for the error_description parameter MUST NOT include characters
   * outside the set %x20-21 / %x23-5B / %x5D-7E". Descriptions quote user input, so every other
   * character (double quote, backslash, control and non-ASCII characters) becomes {@code ?}.
   */
  static String errorDescription(String description) {
    if (description == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(description.length());
    for (int i = 0; i < description.length(); i++) {
      char c = description.charAt(i);
      boolean allowed = c == 0x20 || c == 0x21 || (c >= 0x23 && c <= 0x5B)
          || (c >= 0x5D && c <= 0x7E);
      b.append(allowed ? c : '?');
    }
    return b.toString();
  }

  public static void problem(ServerResponse res, int status, String title, String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    String id = MDC.get("request_id");
    if (id != null) {
      body.put("request_id", id);
    }
    String trace = MDC.get("trace_id");
    if (trace != null) {
      // The trace of this request (tracing on): a user's error report leads to its spans.
      body.put("trace_id", trace);
    }
    Exchange.send(res, status, "application/problem+json", body);
  }

  private static void unavailable(ServerResponse res, StoreException e) {
    res.header(HeaderNames.RETRY_AFTER, "5");
    // Once every 10 s at most: an outage must not flood the log, but operators see why 503s go.
    long now = System.nanoTime();
    long last = lastUnavailableLog.get();
    if (now - last > 10_000_000_000L && lastUnavailableLog.compareAndSet(last, now)) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      LOG.warn("answering 503, storage unavailable: {}", cause.toString());
    }
  }

  private static final java.util.concurrent.atomic.AtomicLong lastUnavailableLog =
      new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - 20_000_000_000L);

  static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      default -> "Error";
    };
  }
}
