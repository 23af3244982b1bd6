package dev.gatehouse.server.resilience;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Every call to Redis goes through here: one circuit breaker ({@link Breakers#REDIS}) shared by
 * all users of Redis on a node (invalidation bus, outbox relay, caches), and Lettuce clients set up
 * to fail fast rather than queue.
 *
 * <p>Redis is never the source of truth, so a caller always has a fallback: the database, the L1
 * cache, or dropping a best-effort message. With Redis down, the first calls fail within the
 * command timeout ({@link #COMMAND_TIMEOUT}) or at once (connection refused); the breaker then
 * opens and later calls go straight to the fallback, costing nothing. Lettuce reconnects in the
 * background, and the breaker closes after its first successful probes.
 */
public final class RedisGuard implements AutoCloseable {

  /**
   * Longest a Redis command may take before it counts as failed; also bounds the handshake of a
   * new connection, which on a busy machine (a JVM still starting) can take several hundred ms.
   */
  public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);

  private final CircuitBreaker breaker;
  private ClientResources resources;
  /** Told of every command of the clients made here (tracing), or null. */
  private volatile io.lettuce.core.event.command.CommandListener listener;

  public RedisGuard(CircuitBreaker breaker) {
    this.breaker = breaker;
  }

  /** The node's Redis guard on {@code breakers}. */
  public static RedisGuard of(Breakers breakers) {
    return new RedisGuard(breakers.breaker(Breakers.REDIS, e -> true, COMMAND_TIMEOUT));
  }

  /** A guard of its own, without metrics (tests, tools). */
  public static RedisGuard standalone() {
    return of(Breakers.unmetered());
  }

  /**
   * A Lettuce client on {@code url} that fails fast: commands sent while disconnected are rejected
   * instead of queued until the connection returns, every command times out after
   * {@link #COMMAND_TIMEOUT}, connecting after 2 s; it reconnects (and resubscribes) by itself,
   * retrying at most every 2 s (Lettuce's default backs off to 30 s, too slow to come back after a
   * short outage). Clients of one guard share its threads; {@link #close} releases them after the
   * clients are shut down.
   */
  public synchronized RedisClient client(String url) {
    if (resources == null) {
      resources = DefaultClientResources.builder()
          .ioThreadPoolSize(2)
          .computationThreadPoolSize(2)
          .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2,
              java.util.concurrent.TimeUnit.MILLISECONDS))
          .build();
    }
    RedisURI uri = RedisURI.create(url);
    uri.setTimeout(COMMAND_TIMEOUT);
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
        .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2))
            .keepAlive(true).build())
        .build());
    if (listener != null) {
      client.addListener(listener);
    }
    return client;
  }

  /**
   * Tells {@code commands} of every command the clients made from now on send (tracing's Redis
   * spans). Without one, Lettuce makes no event per command.
   */
  public RedisGuard listener(io.lettuce.core.event.command.CommandListener commands) {
    this.listener = commands;
    return this;
  }

  /** Whether calls go through now: false while the breaker is open (Redis is known down). */
  public boolean available() {
    CircuitBreaker.State s = breaker.getState();
    return s != CircuitBreaker.State.OPEN && s != CircuitBreaker.State.FORCED_OPEN;
  }

  /** Whether Redis answers as far as the node knows: the breaker is closed (not even probing). */
  public boolean healthy() {
    CircuitBreaker.State s = breaker.getState();
    return s == CircuitBreaker.State.CLOSED || s == CircuitBreaker.State.DISABLED
        || s == CircuitBreaker.State.METRICS_ONLY;
  }

  /** The breaker, for health reports. */
  public CircuitBreaker breaker() {
    return breaker;
  }

  /**
   * The result of {@code call}, or {@code fallback}'s when Redis is down (breaker open) or the
   * call fails. Never throws because of Redis.
   */
  public <T> T call(Supplier<T> call, Supplier<T> fallback) {
    try {
      return breaker.executeSupplier(call);
    } catch (CallNotPermittedException e) {
      return fallback.get();
    } catch (RuntimeException e) {
      return fallback.get();
    }
  }

  /**
   * Runs {@code call} through the breaker; throws {@link CallNotPermittedException} at once while
   * Redis is known down, or the call's own exception. For callers that retry later by design.
   */
  public <T> T callOrThrow(Supplier<T> call) {
    return breaker.executeSupplier(call);
  }

  /**
   * An asynchronous call through the breaker: completes exceptionally at once (with
   * {@link CallNotPermittedException}) while the breaker is open.
   */
  public <T> CompletionStage<T> async(Supplier<CompletionStage<T>> call) {
    try {
      return breaker.executeCompletionStage(call);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Releases the threads of the clients made here (shut the clients down first). */
  @Override
  public synchronized void close() {
    if (resources != null) {
      resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
      resources = null;
    }
  }
}
