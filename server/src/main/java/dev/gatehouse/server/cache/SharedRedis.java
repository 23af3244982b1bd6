package dev.gatehouse.server.cache;

import dev.gatehouse.server.resilience.RedisGuard;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's Redis connection for request-path work (L2 cache, revocation list, attempt counters):
 * one thread-safe Lettuce connection, commands with a short timeout, and never an exception for
 * the caller. {@link #call} answers the fallback when Redis is down, slow or not yet connected.
 *
 * <p>After a failure Redis is skipped for {@value #PAUSE_MS} ms, so that an outage costs one
 * timeout now and then instead of one per request; while disconnected Lettuce rejects commands at
 * once (no queueing) and reconnects in the background. One warning per outage, not per request.
 * With a {@link RedisGuard}, every command also goes through the node's Redis circuit breaker
 * (one for all Redis users, in /metrics): while it is open, commands are not even tried.
 */
public final class SharedRedis implements AutoCloseable {

  static final long PAUSE_MS = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(SharedRedis.class);

  private final RedisClient client;
  private final RedisGuard guard;
  private volatile StatefulRedisConnection<String, String> connection;
  private volatile long pausedUntil;
  private volatile boolean down;
  private final Object connecting = new Object();

  public SharedRedis(String url) {
    this(url, null);
  }

  /** Redis at {@code url}, its commands through {@code guard}'s breaker (null: none). */
  public SharedRedis(String url, RedisGuard guard) {
    this.guard = guard;
    RedisURI uri = RedisURI.create(url);
    uri.setTimeout(Duration.ofMillis(500));
    this.client = RedisClient.create(uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .socketOptions(io.lettuce.core.SocketOptions.builder()
            .connectTimeout(Duration.ofMillis(500)).build())
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(Duration.ofMillis(500)))
        .build());
  }

  /** {@code command} on Redis, or {@code fallback} when Redis cannot answer now. */
  public <T> T call(Function<RedisCommands<String, String>, T> command, T fallback) {
    if (System.currentTimeMillis() < pausedUntil) {
      return fallback;
    }
    try {
      T result = guard == null ? command.apply(connection().sync())
          : guard.callOrThrow(() -> command.apply(connection().sync()));
      if (down) {
        down = false;
        LOG.info("Redis answers again: shared cache, revocation list and counters back on");
      }
      return result;
    } catch (RuntimeException e) {
      pausedUntil = System.currentTimeMillis() + PAUSE_MS;
      if (!down) {
        down = true;
        LOG.warn("Redis unavailable ({}): serving from memory and the database until it"
            + " returns", e.toString());
      }
      return fallback;
    }
  }

  /** Runs {@code command} for its effect; false when Redis could not take it. */
  public boolean run(java.util.function.Consumer<RedisCommands<String, String>> command) {
    return call(r -> {
      command.accept(r);
      return Boolean.TRUE;
    }, Boolean.FALSE);
  }

  /** False while Redis is known to be down. */
  public boolean healthy() {
    return !down;
  }

  private StatefulRedisConnection<String, String> connection() {
    StatefulRedisConnection<String, String> c = connection;
    if (c != null) {
      return c;
    }
    synchronized (connecting) {
      if (connection == null) {
        connection = client.connect();
      }
      return connection;
    }
  }

  @Override
  public void close() {
    StatefulRedisConnection<String, String> c = connection;
    if (c != null) {
      c.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
