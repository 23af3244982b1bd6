package dev.gatehouse.server.observe;

import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.store.Database;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Operations endpoints: {@code /health/live} (the process answers), {@code /health/ready} (start-up,
 * including first-start bootstrap, has finished, the database answers and its schema is current)
 * and {@code /metrics} (Prometheus text format).
 */
public final class OpsHttp implements HttpService {

  private final Database database;
  private final Metrics metrics;
  private final BooleanSupplier started;

  /** {@code started} turns true once the node has finished starting (the port opens earlier). */
  public OpsHttp(Database database, Metrics metrics, BooleanSupplier started) {
    this.database = database;
    this.metrics = metrics;
    this.started = started;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/health/live", (req, res) -> Exchange.json(res, 200, Map.of("status", "UP")))
        .get("/health/ready", (req, res) -> {
          boolean up = started.getAsBoolean();
          boolean db = database.ready();
          boolean ready = up && db;
          res.header(HeaderNames.CACHE_CONTROL, "no-store");
          Exchange.json(res, ready ? 200 : 503, Map.of("status", ready ? "UP" : "DOWN",
              "checks", Map.of("database", db ? "UP" : "DOWN", "startup", up ? "UP" : "DOWN")));
        })
        .get("/metrics", (req, res) -> Exchange.send(res, 200,
            "text/plain; version=0.0.4; charset=utf-8",
            metrics.scrape().getBytes(StandardCharsets.UTF_8)));
  }
}
