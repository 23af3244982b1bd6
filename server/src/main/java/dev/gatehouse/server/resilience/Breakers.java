package dev.gatehouse.server.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breakers of one node, one per dependency it calls: {@value #DATABASE} (the primary
 * database), {@value #DATABASE_READ} (the read replica, when configured) and {@value #REDIS}.
 *
 * <p>A breaker opens when at least half of the last calls (at least {@code 5}) failed, or took
 * longer than the slow-call threshold; while open, calls fail at once instead of each waiting for a
 * connection timeout, so requests do not pile up behind a dead dependency. After
 * {@link #OPEN_WAIT} the next calls probe the dependency (half-open) and close the breaker when
 * they succeed: recovery follows within about a second of the dependency's return.
 *
 * <p>State and calls are exported to {@code /metrics} as {@code resilience4j_circuitbreaker_*},
 * tagged with the breaker's name.
 */
public final class Breakers {

  public static final String DATABASE = "database";
  public static final String DATABASE_READ = "database-read";
  public static final String REDIS = "redis";
  /** How long an open breaker refuses calls before it lets probes through. */
  public static final Duration OPEN_WAIT = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(Breakers.class);

  private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();

  /** Breakers whose metrics go to {@code metrics} (null: none). */
  public Breakers(MeterRegistry metrics) {
    if (metrics != null) {
      TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(metrics);
    }
  }

  /** Breakers without metrics, for tests and tools. */
  public static Breakers unmetered() {
    return new Breakers(null);
  }

  /**
   * The breaker named {@code name}, created on first use; {@code counts} decides which exceptions
   * are failures of the dependency (a unique-key violation is an answer, not an outage).
   */
  public CircuitBreaker breaker(String name, Predicate<Throwable> counts, Duration slowCall) {
    return registry.find(name).orElseGet(() -> {
      CircuitBreaker b = registry.circuitBreaker(name, CircuitBreakerConfig.custom()
          .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
          .slidingWindowSize(20)
          .minimumNumberOfCalls(5)
          .failureRateThreshold(50)
          .slowCallDurationThreshold(slowCall)
          .slowCallRateThreshold(100)
          .waitDurationInOpenState(OPEN_WAIT)
          .permittedNumberOfCallsInHalfOpenState(3)
          // The state is read by health checks and by callers that skip work while open: it must
          // move to half-open on its own, not only when a call happens to try.
          .automaticTransitionFromOpenToHalfOpenEnabled(true)
          .recordException(counts::test)
          .build());
      b.getEventPublisher().onStateTransition(e -> {
        var t = e.getStateTransition();
        // Logged once per outage: half-open probes that fail reopen the breaker every second.
        if (t == CircuitBreaker.StateTransition.CLOSED_TO_OPEN) {
          LOG.warn("circuit `{}` open: {} unavailable, failing fast for {} ms", name, name,
              OPEN_WAIT.toMillis());
        } else if (t == CircuitBreaker.StateTransition.HALF_OPEN_TO_CLOSED) {
          LOG.info("circuit `{}` closed: {} answers again", name, name);
        }
      });
      return b;
    });
  }

  /** The breaker named {@code name} if it exists. */
  public java.util.Optional<CircuitBreaker> find(String name) {
    return registry.find(name);
  }
}
