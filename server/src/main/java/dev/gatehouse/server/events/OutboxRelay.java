package dev.gatehouse.server.events;

import dev.gatehouse.server.observe.Spans;
import dev.gatehouse.server.observe.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import dev.gatehouse.server.resilience.RedisGuard;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the event outbox to the installation's Redis Stream ({@link EventIds#stream}): at
 * least once, in outbox order, each entry carrying an {@code event_id} unique across installations
 * ({@link EventIds#of}) so that consumers (consumer groups with XREADGROUP) drop the duplicates a
 * crash between XADD and the database update can cause.
 *
 * <p>Runs on one background thread; a Redis or database outage only delays publication, and the
 * relay catches up by itself when both answer again.
 */
public final class OutboxRelay implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
  private static final int BATCH = 500;
  /** Approximate bound on the stream's length: consumers are expected to keep up. */
  private static final long MAX_LENGTH = 1_000_000;

  private final EventOutbox outbox;
  private final String installation;
  private final String stream;
  private final Clock clock;
  private final RedisClient client;
  private final RedisGuard guard;
  private final boolean ownGuard;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread t = new Thread(r, "gatehouse-outbox-relay");
        t.setDaemon(true);
        return t;
      });
  private StatefulRedisConnection<String, String> connection;
  private volatile Tracing tracing = Tracing.off();
  private final String spanName;
  private long lastWarning;

  public OutboxRelay(EventOutbox outbox, String installation, String redisUrl, Clock clock) {
    this(outbox, installation, redisUrl, clock, RedisGuard.standalone(), true);
  }

  /** A relay whose Redis calls go through {@code guard} (the node's shared Redis breaker). */
  public OutboxRelay(EventOutbox outbox, String installation, String redisUrl, Clock clock,
      RedisGuard guard) {
    this(outbox, installation, redisUrl, clock, guard, false);
  }

  private OutboxRelay(EventOutbox outbox, String installation, String redisUrl, Clock clock,
      RedisGuard guard, boolean ownGuard) {
    this.outbox = outbox;
    this.installation = installation;
    this.stream = EventIds.stream(installation);
    this.spanName = "send " + stream;
    this.clock = clock;
    this.guard = guard;
    this.ownGuard = ownGuard;
    this.client = guard.client(redisUrl);
    thread.scheduleWithFixedDelay(this::relay, 200, 200, TimeUnit.MILLISECONDS);
  }

  /** Publishes what is pending; returns how many events went out. */
  int relay() {
    try {
      int total = 0;
      int n;
      do {
        // With Redis known down (breaker open) the database is not even asked.
        if (!guard.available()) {
          break;
        }
        n = outbox.publish(BATCH, batch -> traced(batch.size(), () -> guard.callOrThrow(() -> {
          // Pipelined: all XADDs sent, then awaited together; a failure rolls the batch back to
          // unpublished (entries already added then appear twice: at least once).
          io.lettuce.core.api.async.RedisAsyncCommands<String, String> redis = redis().async();
          List<io.lettuce.core.RedisFuture<String>> sent = new ArrayList<>(batch.size());
          for (EventOutbox.Stored e : batch) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("event_id", EventIds.of(installation, e.id()));
            fields.put("installation", installation);
            fields.put("tenant", e.tenantId());
            fields.put("type", e.type());
            fields.put("created_at", Long.toString(e.createdAt()));
            fields.put("payload", e.payload());
            sent.add(redis.xadd(stream, XAddArgs.Builder.maxlen(MAX_LENGTH)
                .approximateTrimming(), fields));
          }
          if (!io.lettuce.core.LettuceFutures.awaitAll(Duration.ofSeconds(5),
              sent.toArray(new io.lettuce.core.RedisFuture<?>[0]))) {
            throw new IllegalStateException("Redis did not acknowledge the events in time");
          }
          for (io.lettuce.core.RedisFuture<String> f : sent) {
            if (f.getError() != null) {
              throw new IllegalStateException("XADD failed: " + f.getError());
            }
          }
          return null;
        })), clock.instant().getEpochSecond());
        total += n;
      } while (n == BATCH);
      return total;
    } catch (RuntimeException e) {
      long now = System.nanoTime();
      if (now - lastWarning > 10_000_000_000L) {
        lastWarning = now;
        LOG.warn("event publication paused: {}", e.toString());
      }
      return 0;
    }
  }

  /**
   * Traces {@code publish} as one producer span per batch (after the messaging conventions:
   * {@code send <stream>}, with the batch size); the XADDs are its children.
   */
  private void traced(int size, Runnable publish) {
    Span span = tracing.background(spanName, SpanKind.PRODUCER);
    try (Scope scope = tracing.enter(span)) {
      if (span.isRecording()) {
        span.setAttribute(MESSAGING_SYSTEM, "redis");
        span.setAttribute(OPERATION, "send");
        span.setAttribute(DESTINATION, stream);
        span.setAttribute(BATCH_SIZE, (long) size);
      }
      publish.run();
    } catch (RuntimeException e) {
      throw Spans.failed(span, e);
    } finally {
      span.end();
    }
  }

  /** Traces each published batch with {@code nodeTracing}. */
  public OutboxRelay tracing(Tracing nodeTracing) {
    this.tracing = nodeTracing;
    return this;
  }

  private static final AttributeKey<String> MESSAGING_SYSTEM =
      AttributeKey.stringKey("messaging.system");
  private static final AttributeKey<String> OPERATION =
      AttributeKey.stringKey("messaging.operation.type");
  private static final AttributeKey<String> DESTINATION =
      AttributeKey.stringKey("messaging.destination.name");
  private static final AttributeKey<Long> BATCH_SIZE =
      AttributeKey.longKey("messaging.batch.message_count");

  private StatefulRedisConnection<String, String> redis() {
    if (connection == null || !connection.isOpen()) {
      connection = client.connect();
    }
    return connection;
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      thread.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (connection != null) {
      connection.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    if (ownGuard) {
      guard.close();
    }
  }
}
