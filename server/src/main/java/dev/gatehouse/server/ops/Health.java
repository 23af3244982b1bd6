package dev.gatehouse.server.ops;

import dev.gatehouse.server.resilience.RedisGuard;
import dev.gatehouse.server.store.Database;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The node's health as both listeners report it: live while the process answers; ready when
 * start-up (first-start bootstrap included) has finished, the node is not shutting down, and the
 * database answers with its schema current. Redis is reported but never makes a node unready:
 * without it a node serves from L1 and the database.
 */
public final class Health {

  /** An answer: the HTTP status and the JSON body. */
  public record Answer(int status, Map<String, Object> body) {
    public boolean up() {
      return status == 200;
    }
  }

  private static final Answer LIVE = new Answer(200, Map.of("status", "UP"));

  private final Database database;
  private final BooleanSupplier started;
  private final RedisGuard redis;

  /**
   * @param started true while the node takes traffic (it has started, it is not draining)
   * @param redis null without Redis
   */
  public Health(Database database, BooleanSupplier started, RedisGuard redis) {
    this.database = database;
    this.started = started;
    this.redis = redis;
  }

  /** {@code /health/live}: the process answers. */
  public Answer live() {
    return LIVE;
  }

  /** {@code /health/ready}: 503 with a {@code reason} when the node should get no traffic. */
  public Answer ready() {
    boolean up = started.getAsBoolean();
    Database.Health db = database.health();
    boolean ready = up && db.up();
    Map<String, Object> checks = new LinkedHashMap<>();
    checks.put("database", db.up() ? "UP" : "DOWN");
    checks.put("startup", up ? "UP" : "DOWN");
    if (redis != null) {
      checks.put("redis", redis.healthy() ? "UP" : "DOWN");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", ready ? "UP" : "DOWN");
    body.put("checks", checks);
    if (!ready) {
      body.put("reason", !up ? "node starting or shutting down" : db.reason());
    }
    return new Answer(ready ? 200 : 503, body);
  }
}
