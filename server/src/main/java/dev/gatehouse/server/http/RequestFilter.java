package dev.gatehouse.server.http;

import dev.gatehouse.server.observe.Metrics;
import dev.gatehouse.server.observe.Tracing;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.net.InetSocketAddress;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs around every request: gives it a request id (the caller's {@code X-Request-Id} when it is
 * sane, else a new one) for the response header and every log line, records its metrics under the
 * route pattern it matched, writes the access log line, and sets baseline security headers. With
 * tracing on it also starts the request's server span, continuing the caller's trace, and puts the
 * trace id beside the request id ({@code trace_id} in log lines and problem+json bodies).
 *
 * <p>A request id correlates log lines; it is not a secret, so it comes from {@link
 * ThreadLocalRandom} rather than a {@code SecureRandom} shared by every request.
 */
public final class RequestFilter implements Filter {

  static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
  private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Logger ACCESS = LoggerFactory.getLogger("dev.gatehouse.access");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final Metrics metrics;
  private final Tracing tracing;

  public RequestFilter(Metrics metrics) {
    this(metrics, Tracing.off());
  }

  public RequestFilter(Metrics metrics, Tracing tracing) {
    this.metrics = metrics;
    this.tracing = tracing;
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    long start = System.nanoTime();
    String id = req.headers().first(REQUEST_ID).filter(v -> SANE_ID.matcher(v).matches())
        .orElseGet(RequestFilter::newId);
    MDC.put("request_id", id);
    res.header(REQUEST_ID, id);
    res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
    Tracing.ServerSpan span = null;
    if (tracing.enabled()) {
      span = tracing.server(req);
      MDC.put("trace_id", span.traceId());
    }
    try {
      chain.proceed();
    } finally {
      long nanos = System.nanoTime() - start;
      String route = req.matchingPattern().orElse("unmatched");
      int status = res.status().code();
      String method = req.prologue().method().text();
      metrics.request(route, method, status, nanos);
      if (ACCESS.isInfoEnabled()) {
        access(req, method, route, status, nanos / 1000);
      }
      if (span != null) {
        span.end(method, route, status);
        MDC.remove("trace_id");
      }
      MDC.remove("request_id");
    }
  }

  /**
   * The access log line: the route template in the message (no ids or tokens from the path), and
   * as fields the tenant, the client's address (the TCP peer: a proxy's when there is one) and
   * its user agent, so a line says who asked what of which tenant.
   */
  private static void access(RoutingRequest req, String method, String route, int status,
      long micros) {
    String tenant = tenant(req.path().rawPath());
    String agent = req.headers().first(HeaderNames.USER_AGENT).orElse("");
    ACCESS.atInfo().setMessage("{} {} {} {}us").addArgument(method).addArgument(route)
        .addArgument(status).addArgument(micros)
        .addKeyValue("tenant", tenant == null ? "-" : tenant)
        .addKeyValue("client", req.remotePeer().address() instanceof InetSocketAddress a
            ? a.getAddress().getHostAddress() : "-")
        .addKeyValue("user_agent", agent.length() > 200 ? agent.substring(0, 200) : agent)
        .log();
  }

  /** The tenant a path names ({@code /t/{tenant}/...}, {@code /admin/v1/tenants/{tenant}}). */
  static String tenant(String path) {
    String rest = path.startsWith("/t/") ? path.substring(3)
        : path.startsWith("/admin/v1/tenants/") ? path.substring(18) : null;
    if (rest == null) {
      return null;
    }
    int end = rest.indexOf('/');
    String t = end < 0 ? rest : rest.substring(0, end);
    return TENANT.matcher(t).matches() ? t : null;
  }

  /** 72 random bits, base64url: 12 characters. */
  static String newId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long a = r.nextLong();
    int b = r.nextInt();
    byte[] bytes = {(byte) a, (byte) (a >>> 8), (byte) (a >>> 16), (byte) (a >>> 24),
        (byte) (a >>> 32), (byte) (a >>> 40), (byte) (a >>> 48), (byte) (a >>> 56), (byte) b};
    return B64.encodeToString(bytes);
  }
}
