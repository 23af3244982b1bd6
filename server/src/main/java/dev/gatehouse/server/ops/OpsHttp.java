package dev.gatehouse.server.ops;

import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.observe.Metrics;
import dev.gatehouse.server.resilience.RedisGuard;
import dev.gatehouse.server.store.Database;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Operations endpoints: {@code /health/live} (the process answers), {@code /health/ready} (start-up,
 * including first-start bootstrap, has finished, the node is not shutting down, the database answers
 * and its schema is current) and {@code /metrics} (Prometheus text format).
 *
 * <p>{@code /metrics} tells route names, request rates, pool and breaker states: not for the public.
 * It is open on the management listener ({@link ManagementServer}); on the main listener it is
 * served only to a bearer of {@code management.metrics-token}, and not at all without one. Health
 * ({@link Health}) is on both, for load balancers, and says only up or down.
 */
public final class OpsHttp implements HttpService {

  private final Health health;
  private final Metrics metrics;
  /** Who may read {@code /metrics}: nobody (empty) or this token's bearer. */
  private final byte[] metricsToken;

  private OpsHttp(Database database, Metrics metrics, BooleanSupplier started, RedisGuard redis,
      byte[] metricsToken) {
    this.health = new Health(database, started, redis);
    this.metrics = metrics;
    this.metricsToken = metricsToken;
  }

  /**
   * The endpoints of the main listener: health, and {@code /metrics} only for a bearer of {@code
   * metricsToken} (none when it is empty).
   */
  public static OpsHttp main(Database database, Metrics metrics, BooleanSupplier started,
      RedisGuard redis, String metricsToken) {
    return new OpsHttp(database, metrics, started, redis,
        metricsToken.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/health/live", (req, res) -> Exchange.json(res, 200, health.live().body()))
        .get("/health/ready", (req, res) -> {
          Health.Answer ready = health.ready();
          res.header(HeaderNames.CACHE_CONTROL, "no-store");
          if (!ready.up()) {
            res.header(HeaderNames.RETRY_AFTER, "1");
          }
          Exchange.json(res, ready.status(), ready.body());
        });
    if (metricsToken.length == 0) {
      return;  // not served here: the catch-all answers 404
    }
    rules.get("/metrics", (req, res) -> {
      if (!bearer(req.headers().first(HeaderNames.AUTHORIZATION)
          .orElse(""))) {
        res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"metrics\"");
        Exchange.json(res, 401, Map.of("error", "invalid_token",
            "error_description", "metrics need the management.metrics-token bearer token"));
        return;
      }
      Exchange.send(res, 200, "text/plain; version=0.0.4; charset=utf-8",
          metrics.scrape().getBytes(StandardCharsets.UTF_8));
    });
  }

  private boolean bearer(String authorization) {
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return java.security.MessageDigest.isEqual(metricsToken,
        authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8));
  }
}
