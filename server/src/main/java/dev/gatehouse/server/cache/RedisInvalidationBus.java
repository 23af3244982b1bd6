package dev.gatehouse.server.cache;

import dev.gatehouse.server.crypto.Secrets;
import dev.gatehouse.server.resilience.RedisGuard;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link InvalidationBus} on Redis pub/sub (one channel per installation, {@code
 * gh:{installation}:invalidate}), through Lettuce.
 *
 * <p>Messages are {@code node \n topic \n key}; a node skips its own. Publishing is asynchronous
 * and never fails a request: with Redis down, messages are dropped (caches then expire on their
 * own; while the {@link RedisGuard} breaker is open, without even trying) and Lettuce reconnects
 * and resubscribes by itself. A node that starts while Redis is down
 * keeps trying to connect in the background.
 */
public final class RedisInvalidationBus implements InvalidationBus {

  private static final Logger LOG = LoggerFactory.getLogger(RedisInvalidationBus.class);

  private final String node = Secrets.random(9);
  private final String channel;
  private final RedisClient client;
  private final RedisGuard guard;
  private final boolean ownGuard;
  private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
  private final ScheduledExecutorService connector = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread t = new Thread(r, "gatehouse-redis-connect");
        t.setDaemon(true);
        return t;
      });
  private volatile StatefulRedisConnection<String, String> publisher;
  private volatile StatefulRedisPubSubConnection<String, String> subscriber;
  private volatile long lastWarning;

  /** A bus for the installation whose Redis keys start with {@code prefix} ({@link L2Cache#prefix}). */
  public RedisInvalidationBus(String url, String prefix) {
    this(url, prefix, RedisGuard.standalone(), true);
  }

  /** A bus whose Redis calls go through {@code guard} (the node's shared Redis breaker). */
  public RedisInvalidationBus(String url, String prefix, RedisGuard guard) {
    this(url, prefix, guard, false);
  }

  private RedisInvalidationBus(String url, String prefix, RedisGuard guard, boolean ownGuard) {
    this.channel = prefix + "invalidate";
    this.guard = guard;
    this.ownGuard = ownGuard;
    this.client = guard.client(url);
    connector.execute(this::connect);
  }

  /** True once both connections are up (they may drop and come back later). */
  public boolean connected() {
    return publisher != null && subscriber != null && publisher.isOpen() && subscriber.isOpen();
  }

  private void connect() {
    try {
      StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
      sub.addListener(new RedisPubSubAdapter<>() {
        @Override
        public void message(String channel, String message) {
          deliver(message);
        }
      });
      sub.sync().subscribe(channel);
      this.subscriber = sub;
      this.publisher = client.connect();
      LOG.info("invalidation bus connected to Redis");
    } catch (RuntimeException | LinkageError e) {
      warn("Redis unreachable for the invalidation bus ({}); retrying", e.toString());
      connector.schedule(this::connect, 2, TimeUnit.SECONDS);
    }
  }

  private void deliver(String message) {
    String[] parts = message.split("\n", 3);
    if (parts.length != 3 || parts[0].equals(node)) {
      return;
    }
    for (Consumer<String> l : listeners.getOrDefault(parts[1], List.of())) {
      try {
        l.accept(parts[2]);
      } catch (RuntimeException e) {
        LOG.warn("invalidation of {} `{}` failed: {}", parts[1], parts[2], e.toString());
      }
    }
  }

  @Override
  public void publish(String topic, String key) {
    StatefulRedisConnection<String, String> p = publisher;
    String message = node + "\n" + topic + "\n" + key;
    guard.async(() -> {
      // Not connected (yet, or any more) is a failure of Redis too: it counts towards the breaker.
      if (p == null || !p.isOpen()) {
        throw new io.lettuce.core.RedisConnectionException("not connected to Redis");
      }
      return p.async().publish(channel, message);
    }).exceptionally(e -> {
      warn("invalidation message not sent ({})", e.getMessage());
      return 0L;
    });
  }

  @Override
  public void subscribe(String topic, Consumer<String> listener) {
    listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
  }

  private void warn(String format, Object arg) {
    long now = System.nanoTime();
    // At most one warning every 10 s: an outage must not flood the log.
    if (now - lastWarning > 10_000_000_000L) {
      lastWarning = now;
      LOG.warn(format, arg);
    }
  }

  @Override
  public void close() {
    connector.shutdownNow();
    try {
      if (subscriber != null) {
        subscriber.close();
      }
      if (publisher != null) {
        publisher.close();
      }
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      if (ownGuard) {
        guard.close();
      }
    }
  }
}
