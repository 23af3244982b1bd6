package dev.gatehouse.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.util.function.UnaryOperator;

/**
 * Someone with write access to the Redis a test server uses, and nothing else (no master key):
 * reads entries, rewrites the JSON inside them (keeping whatever the server put around it), and
 * publishes on its channels.
 */
public final class RedisAttacker implements AutoCloseable {

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final String prefix;

  /** Attacks the installation whose database is at {@code dbUrl}. */
  public RedisAttacker(String redisUrl, String dbUrl) {
    this.client = RedisClient.create(redisUrl);
    this.connection = client.connect();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(dbUrl);
        java.sql.ResultSet rs = c.createStatement().executeQuery("select id from installation")) {
      rs.next();
      this.prefix = "gh:" + rs.getString(1) + ":";
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The installation's id (the second part of every key). */
  public String installation() {
    return prefix.split(":")[1];
  }

  /** The installation's key {@code gh:{installation}:{tenant}:{kind}:{id}}. */
  public String key(String tenant, String kind, String id) {
    return prefix + tenant + ":" + kind + ":" + id;
  }

  public RedisCommands<String, String> redis() {
    return connection.sync();
  }

  /** The JSON document inside the entry at {@code key} (null when there is none). */
  public JsonNode json(String key) {
    String raw = redis().get(key);
    if (raw == null) {
      return null;
    }
    try {
      return TestServer.JSON.readTree(raw.substring(jsonStart(raw)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Replaces the JSON inside the entry at {@code key} by {@code change}'s, keeping what precedes
   * it (a MAC, say) and the entry's time to live.
   */
  public void rewrite(String key, UnaryOperator<JsonNode> change) {
    String raw = redis().get(key);
    if (raw == null) {
      throw new AssertionError("no entry at " + key);
    }
    try {
      String json = TestServer.JSON.writeValueAsString(change.apply(json(key)));
      redis().psetex(key, Math.max(60_000, redis().pttl(key)),
          raw.substring(0, jsonStart(raw)) + json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int jsonStart(String raw) {
    int object = raw.indexOf('{');
    int array = raw.indexOf('[');
    return object < 0 ? array : array < 0 ? object : Math.min(object, array);
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
